package org.medpolicy.app.http;

import static org.medpolicy.app.http.Html.form;
import static org.medpolicy.app.http.Html.input;
import static org.medpolicy.app.http.Html.select;
import static org.medpolicy.app.http.Html.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medpolicy.core.cases.CaseClock;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.cases.Role;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.security.Session;

/**
 * The workbench's page bodies: the queue, the new-case form, the case page and the policy page.
 * Each shows only the actions the signed-in user's roles allow in the case's state, so what is on
 * screen is what will be accepted (the case rules still check everything again). Stateless.
 */
final class WorkbenchPages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.US);

    private final CaseClock clock;
    private final ZoneId zone;

    WorkbenchPages(CaseClock clock) {
        this.clock = clock;
        this.zone = clock.zone();
    }

    String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant.atZone(zone));
    }

    String queue(List<ReviewCase> cases, Instant now) {
        StringBuilder html = new StringBuilder("<p>Open cases, earliest due first. <a href=\"/workbench/cases/new\">File a new case</a>.</p>")
                .append("<table><caption class=\"skip\">Open cases</caption><thead><tr><th scope=\"col\">Case</th><th scope=\"col\">Member</th>")
                .append("<th scope=\"col\">Due</th><th scope=\"col\">State</th><th scope=\"col\">Engine recommends</th><th scope=\"col\">Kind</th></tr></thead><tbody>");
        for (ReviewCase reviewCase : cases) {
            JsonNode request = tree(reviewCase.request());
            html.append("<tr><td><a href=\"/workbench/cases/").append(text(reviewCase.caseId())).append("\">").append(text(reviewCase.caseId()))
                    .append("</a></td><td>").append(text(request.path("member").path("name").asText(""))).append(" (")
                    .append(text(request.path("member").path("id").asText())).append(")</td><td>").append(text(when(reviewCase.dueAt())))
                    .append(flags(reviewCase, now)).append("</td><td>").append(reviewCase.state()).append("</td><td>")
                    .append(reviewCase.recommended() == null ? "needs information" : reviewCase.recommended().name()).append("</td><td>")
                    .append(reviewCase.expedited() ? "expedited" : "standard").append(reviewCase.partBDrug() ? ", Part B drug" : "")
                    .append("</td></tr>");
        }
        if (cases.isEmpty()) {
            html.append("<tr><td colspan=\"6\">No open cases.</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private String flags(ReviewCase reviewCase, Instant now) {
        if (clock.isOverdue(reviewCase, now)) {
            return " <span class=\"flag overdue\">OVERDUE</span>";
        }
        return clock.isDueWithin24Hours(reviewCase, now) ? " <span class=\"flag soon\">DUE WITHIN 24 HOURS</span>" : "";
    }

    String newCase(String csrf, List<String> therapies, List<String> errors) {
        List<String[]> systems = List.of(new String[]{"", "(none)"}, new String[]{"CPT", "CPT"}, new String[]{"HCPCS", "HCPCS"});
        List<String[]> therapyOptions = new ArrayList<>();
        therapyOptions.add(new String[]{"", "(not stated)"});
        therapies.forEach(therapy -> therapyOptions.add(new String[]{therapy, therapy.replace('_', ' ').toLowerCase(Locale.ROOT)}));
        String fields = "<section><h2>Who is asking</h2>" + input("requesterName", "Requester name", "text", "", true)
                + select("requesterRole", "Requester is", List.of(new String[]{"TREATING_PROVIDER", "the treating provider"},
                new String[]{"MEMBER", "the member"}, new String[]{"REPRESENTATIVE", "the member's appointed representative"}), "TREATING_PROVIDER")
                + input("requesterAddress", "Address for the notice", "text", "", true) + input("requesterPhone", "Phone", "text", "", false)
                + "<div class=\"check\"><input type=\"checkbox\" id=\"expedited\" name=\"expedited\" value=\"true\"><label for=\"expedited\">"
                + "Expedited review requested</label></div><div class=\"check\"><input type=\"checkbox\" id=\"expeditedByPhysician\" "
                + "name=\"expeditedByPhysician\" value=\"true\"><label for=\"expeditedByPhysician\">A physician asked for expedited review</label></div>"
                + "</section><section><h2>Member</h2>" + input("memberId", "Member ID", "text", "", true)
                + input("memberName", "Member name", "text", "", true) + input("dateOfService", "Date of service", "date", "", true)
                + "</section>";
        StringBuilder services = new StringBuilder();
        for (int i = 1; i <= ITEMS; i++) {
            String suffix = itemSuffix(i);
            String of = i == 1 ? "" : " (service " + i + ")";
            services.append("<section><h2>Service ").append(i).append(i == 1 ? "" : " (if the request names more)").append("</h2>")
                    .append(select("codeSystem" + suffix, "Code system" + of, systems, ""))
                    .append(input("code" + suffix, "Procedure or HCPCS code" + of, "text", "", false))
                    .append(select("therapy" + suffix, "Therapy" + of, therapyOptions, ""))
                    .append(input("product" + suffix, "Product (brand or generic name)" + of, "text", "", false))
                    .append(input("description" + suffix, "Description of the service" + of, "text", "", false))
                    .append(input("diagnoses" + suffix, "Diagnoses (ICD-10-CM, separated by commas)" + of, "text", "", false))
                    .append("</section>");
        }
        return errors(errors) + form("/workbench/cases", csrf, fields + services, "File the case");
    }

    /** How many services the filing form offers: a request usually names the apheresis, the infusion and the product. */
    static final int ITEMS = 3;

    /** The suffix of service {@code i}'s field names: none for the first, its number for the others. */
    static String itemSuffix(int i) {
        return i == 1 ? "" : Integer.toString(i);
    }

    static String errors(List<String> errors) {
        if (errors == null || errors.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<div class=\"error\" role=\"alert\"><p>Not done:</p><ul>");
        errors.forEach(error -> html.append("<li>").append(text(error)).append("</li>"));
        return html.append("</ul></div>").toString();
    }

    String casePage(ReviewCase reviewCase, List<CaseEvent> history, Session session, Instant now, String message, List<String> errors) {
        JsonNode request = tree(reviewCase.request());
        JsonNode recommendation = reviewCase.recommendation() == null ? null : tree(reviewCase.recommendation());
        String id = reviewCase.caseId();
        StringBuilder html = new StringBuilder(errors(errors));
        if (message != null) {
            html.append("<div class=\"notice\" role=\"status\">").append(text(message)).append("</div>");
        }
        html.append("<section aria-labelledby=\"summary\"><h2 id=\"summary\">Summary</h2><p><strong>State:</strong> <span id=\"state\">")
                .append(reviewCase.state()).append("</span> &middot; ").append(reviewCase.expedited() ? "expedited" : "standard")
                .append(reviewCase.partBDrug() ? " &middot; Part B drug" : "").append("</p><p><strong>Received:</strong> ")
                .append(text(when(reviewCase.receivedAt()))).append(" &middot; <strong>Due:</strong> <span id=\"due\">")
                .append(text(when(reviewCase.dueAt()))).append("</span>").append(flags(reviewCase, now)).append("</p>");
        if (reviewCase.extension() != null) {
            html.append("<p>Extended ").append(reviewCase.extension().days()).append(" days by ").append(text(reviewCase.extension().grantedBy()))
                    .append(": ").append(text(reviewCase.extension().reason())).append(" (originally due ")
                    .append(text(when(reviewCase.originalDueAt()))).append(")</p>");
        }
        html.append("<p><strong>Member:</strong> ").append(text(request.path("member").path("name").asText(""))).append(" (")
                .append(text(request.path("member").path("id").asText())).append(") &middot; <strong>Date of service:</strong> ")
                .append(text(request.path("dateOfService").asText())).append("</p><p><strong>Requester:</strong> ")
                .append(text(reviewCase.requester().name())).append(", ").append(text(reviewCase.requester().address())).append("</p>");
        if (reviewCase.decision() != null) {
            html.append("<p><strong>Decision:</strong> <span id=\"decision\">").append(reviewCase.decision().outcome()).append("</span> by ")
                    .append(text(reviewCase.decision().decidedBy()))
                    .append(reviewCase.decision().signedBy() == null ? "" : ", signed by " + text(reviewCase.decision().signedBy()))
                    .append(reviewCase.decision().isOverride() ? " (override of the engine's " + reviewCase.decision().recommended() + ": "
                            + text(reviewCase.decision().rationale()) + ")" : "").append("</p>");
        }
        if (reviewCase.decision() != null) {
            html.append("<p><a id=\"notice-link\" href=\"/v1/cases/").append(text(id)).append("/notice.pdf\">")
                    .append(reviewCase.notifiedAt() == null ? "Preview the notice (PDF)" : "The notice as sent (PDF)").append("</a></p>");
        }
        html.append("</section>");
        html.append(recommendation(recommendation));
        html.append(actions(reviewCase, session, recommendation));
        html.append("<section aria-labelledby=\"history-title\"><h2 id=\"history-title\">History</h2><table><thead><tr><th scope=\"col\">When</th>")
                .append("<th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        for (CaseEvent event : history) {
            html.append("<tr><td>").append(text(when(event.at()))).append("</td><td>").append(text(event.actor())).append("</td><td>")
                    .append(text(event.action())).append("</td><td>").append(event.from() == null ? "" : event.from()).append("</td><td>")
                    .append(event.to()).append("</td><td>").append(text(event.reason())).append("</td></tr>");
        }
        return html.append("</tbody></table></section>").toString();
    }

    private static String recommendation(JsonNode recommendation) {
        if (recommendation == null) {
            return "";
        }
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"engine\"><h2 id=\"engine\">The engine's recommendation: ")
                .append(text(recommendation.path("status").asText())).append("</h2><p>Policy: <a href=\"/workbench/policies/")
                .append(text(recommendation.path("policy").path("id").asText())).append("\">").append(text(recommendation.path("policy").path("title").asText()))
                .append("</a>, version ").append(text(recommendation.path("policy").path("version").asText()))
                .append(recommendation.path("policy").path("reviewOverdue").asBoolean() ? " <span class=\"flag soon\">REVIEW OVERDUE</span>" : "")
                .append("</p>");
        for (JsonNode item : recommendation.path("items")) {
            String outcome = item.path("outcome").asText();
            boolean adverse = outcome.equals("NOT_COVERED") || outcome.equals("INVALID_CODE");
            html.append("<h3>Item ").append(item.path("index").asInt() + 1).append(": <span class=\"").append(adverse ? "adverse" : "ok")
                    .append("\">").append(text(outcome)).append("</span>").append(item.has("reason") ? " (" + text(item.path("reason").asText()) + ")" : "")
                    .append("</h3><p>").append(text(item.path("explanation").asText())).append("</p>");
            for (JsonNode governed : item.path("governedBy")) {
                html.append("<p>Governed by: ").append(text(governed.path("title").asText(governed.path("id").asText()))).append("</p>");
            }
            for (JsonNode citation : item.path("citations")) {
                html.append("<p>").append(text(citation.path("section").asText(citation.path("source").asText()))).append(":</p><blockquote>")
                        .append(text(citation.path("quote").asText())).append("</blockquote>");
            }
            for (JsonNode question : item.path("questions")) {
                html.append("<p><strong>Question:</strong> ").append(text(question.path("text").asText(question.path("id").asText()))).append("</p>");
            }
        }
        return html.append("</section>").toString();
    }

    private static String actions(ReviewCase reviewCase, Session session, JsonNode recommendation) {
        String csrf = session.csrfToken();
        String base = "/workbench/cases/" + reviewCase.caseId() + "/";
        boolean reviewer = session.user().roles().contains(Role.REVIEWER) || session.user().roles().contains(Role.PHYSICIAN);
        boolean physician = session.user().roles().contains(Role.PHYSICIAN);
        boolean intake = session.user().roles().contains(Role.INTAKE) || reviewer;
        List<String> forms = new ArrayList<>();
        CaseState state = reviewCase.state();
        if (state == CaseState.PENDED || state == CaseState.RECOMMENDED) {
            if (intake && recommendation != null) {
                for (JsonNode item : recommendation.path("items")) {
                    for (JsonNode question : item.path("questions")) {
                        List<String[]> options = new ArrayList<>();
                        for (JsonNode option : question.path("answerOptions")) {
                            options.add(new String[]{option.path("code").asText(), option.path("display").asText(option.path("code").asText())});
                        }
                        String name = "answer";
                        forms.add("<div><h3>Answer for item " + (item.path("index").asInt() + 1) + "</h3>" + form(base + "information", csrf,
                                "<input type=\"hidden\" name=\"item\" value=\"" + item.path("index").asInt() + "\"><input type=\"hidden\" "
                                        + "name=\"question\" value=\"" + text(question.path("id").asText()) + "\">"
                                        + select(name, question.path("text").asText("Answer"), options, ""), "Record the answer") + "</div>");
                    }
                }
            }
        }
        if (state == CaseState.RECOMMENDED || state == CaseState.RECEIVED) {
            if (reviewer) {
                forms.add("<div><h3>Request information</h3>" + form(base + "information-requests", csrf,
                        input("reason", "What is needed", "text", "", true), "Request information") + "</div>");
            }
        }
        if (state.isOpen() && reviewer && reviewCase.extension() == null && !reviewCase.partBDrug()) {
            forms.add("<div><h3>Extend the deadline</h3>" + form(base + "extension", csrf,
                    input("days", "Calendar days (1 to 14)", "number", "14", true) + input("extensionReason", "Reason", "text", "", true),
                    "Extend") + "</div>");
        }
        if (state == CaseState.RECOMMENDED && reviewer) {
            List<String[]> outcomes = new ArrayList<>();
            String recommended = reviewCase.recommended() == null ? "" : reviewCase.recommended().name();
            for (String outcome : List.of("APPROVED", "PARTIALLY_APPROVED", "DENIED", "REFERRED")) {
                boolean adverse = outcome.equals("DENIED") || outcome.equals("PARTIALLY_APPROVED");
                if (!adverse || physician) {
                    outcomes.add(new String[]{outcome, outcome + (outcome.equals(recommended) ? " (the engine's recommendation)" : "")});
                }
            }
            String title = physician ? "Decide or sign" : "Decide (an adverse decision needs a physician)";
            forms.add("<div><h3>" + title + "</h3>" + form(base + "decision", csrf, select("outcome", "Outcome", outcomes, recommended)
                    + "<label for=\"rationale\">Rationale (required to decide against the engine)</label>"
                    + "<textarea id=\"rationale\" name=\"rationale\" rows=\"3\"></textarea>", physician ? "Sign the decision" : "Decide") + "</div>");
        }
        if (state == CaseState.DECIDED && intake) {
            forms.add("<div><h3>Notice</h3>" + form(base + "notice", csrf, "", "Send the notice") + "</div>");
        }
        if (state.isOpen() && intake) {
            forms.add("<div><h3>Withdraw</h3>" + form(base + "withdrawal", csrf, input("withdrawReason", "Why", "text", "", true),
                    "Withdraw the request") + "</div>");
        }
        if (forms.isEmpty()) {
            return "";
        }
        return "<section aria-labelledby=\"actions-title\"><h2 id=\"actions-title\">Actions</h2><div class=\"actions\">"
                + String.join("", forms) + "</div></section>";
    }

    String policyPage(JsonNode policy) {
        StringBuilder html = new StringBuilder("<section><h2>Versions</h2><table><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Effective</th>")
                .append("<th scope=\"col\">Last review</th><th scope=\"col\">Next review</th><th scope=\"col\">Review status</th></tr></thead><tbody>");
        for (JsonNode version : policy.path("versions")) {
            boolean overdue = version.path("reviewOverdue").asBoolean();
            html.append("<tr><td>").append(text(version.path("version").asText())).append("</td><td>").append(text(version.path("effectiveFrom").asText()))
                    .append("</td><td>").append(text(version.path("lastReview").asText())).append("</td><td>").append(text(version.path("nextReview").asText()))
                    .append("</td><td>").append(overdue ? "<span class=\"flag overdue\">REVIEW OVERDUE</span>" : "current").append("</td></tr>");
        }
        html.append("</tbody></table></section>").append(reviewSection(policy.path("review"))).append("<section><h2>Rules by therapy category</h2>");
        policy.path("categories").properties().forEach(entry -> {
            JsonNode rule = entry.getValue();
            html.append("<h3>").append(text(rule.path("label").asText(entry.getKey()))).append(": ").append(text(rule.path("outcome").asText()))
                    .append("</h3><p>").append(text(rule.path("explanation").asText())).append("</p>");
            for (JsonNode citation : rule.path("citations")) {
                html.append("<blockquote>").append(text(citation.path("quote").asText())).append("</blockquote>");
            }
        });
        return html.append("</section>").toString();
    }

    /** The newest version's review: next review, overdue since when, and what changed since the version before it. */
    private static String reviewSection(JsonNode review) {
        StringBuilder html = new StringBuilder("<section aria-labelledby=\"review-title\"><h2 id=\"review-title\">Review</h2><p id=\"review-status\">")
                .append("Version ").append(text(review.path("version").asText())).append(": next review ")
                .append(text(review.path("nextReview").asText()));
        if (review.path("overdue").asBoolean()) {
            html.append(" <span class=\"flag overdue\">REVIEW OVERDUE</span> since ").append(text(review.path("overdueSince").asText()));
        }
        html.append("</p>");
        JsonNode changes = review.path("changesSincePrevious");
        if (changes.isMissingNode() || changes.isNull()) {
            return html.append("<p id=\"review-changes\">No earlier version: this is the first published version.</p></section>").toString();
        }
        html.append("<h3 id=\"review-changes\">Changes from ").append(text(changes.path("from").asText())).append(" to ")
                .append(text(changes.path("to").asText())).append(": ").append(changes.path("changes").size()).append("</h3><ul>");
        for (JsonNode change : changes.path("changes")) {
            html.append("<li>").append(text(change.path("kind").asText())).append(" <code>").append(text(change.path("path").asText()))
                    .append("</code>");
            if (change.hasNonNull("before")) {
                html.append(": ").append(text(shown(change.get("before"))));
            }
            if (change.hasNonNull("after")) {
                html.append(change.hasNonNull("before") ? " → " : ": ").append(text(shown(change.get("after"))));
            }
            html.append("</li>");
        }
        return html.append("</ul></section>").toString();
    }

    private static String shown(JsonNode value) {
        String shown = value.isTextual() ? value.asText() : value.toString();
        return shown.length() > 200 ? shown.substring(0, 197) + "…" : shown;
    }

    /** A typed value as the contract JSON the page shows from (until the pages are templates over the values). */
    private static JsonNode tree(Object value) {
        return ContractJson.mapper().valueToTree(value);
    }
}
