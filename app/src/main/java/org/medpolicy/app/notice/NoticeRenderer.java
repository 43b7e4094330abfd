package org.medpolicy.app.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.Paragraph;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.policy.MedicareRules;

/**
 * Renders the letter a decided case sends. For an adverse decision it is the "Notice of Denial of
 * Medical Coverage" with what the rules require: the member, the service, the specific reason in
 * plain language for each item (the engine's explanation), the policy or NCD and the version used,
 * the right to a reconsideration within the window in effect (65 days), standard and expedited and
 * how to ask, and that the member may have to pay if they get the service anyway. Approvals and
 * referrals (OUT_OF_SCOPE: where the request goes instead) get their own letters.
 *
 * <p>Long because a letter is long: each section is one short method. Stateless and thread-safe.
 */
public final class NoticeRenderer {

    private static final DateTimeFormatter DATE = Letters.DATE;
    private static final Font BODY = Letters.BODY;
    private static final Font SMALL = Letters.SMALL;

    private final MedicareRules rules;
    private final String planName;
    private final ZoneId zone;
    private final Function<String, String> signatures;

    /**
     * {@code planName}: the plan as configured, named on every letter; {@code signatures}: how a
     * user who decided or signed is named, by their user name (their name and credentials).
     */
    public NoticeRenderer(MedicareRules rules, String planName, ZoneId zone, Function<String, String> signatures) {
        this.rules = rules;
        this.planName = planName;
        this.zone = zone;
        this.signatures = signatures;
    }

    public String planName() {
        return planName;
    }

    public ZoneId zone() {
        return zone;
    }

    /** How a letter names the user {@code username}: their name and credentials. */
    public String signature(String username) {
        return username == null ? null : signatures.apply(username);
    }

    /** The letter for a decided case; {@code preview} marks a draft not yet sent. */
    public byte[] render(ReviewCase reviewCase, boolean preview) {
        if (reviewCase.decision() == null) {
            throw new IllegalArgumentException("case " + reviewCase.caseId() + " is not decided: there is no letter yet");
        }
        try {
            JsonNode request = ContractJson.mapper().valueToTree(reviewCase.request());
            JsonNode determination = ContractJson.mapper().valueToTree(reviewCase.recommendation());
            LocalDate noticeDate = reviewCase.decision().decidedAt().atZone(zone).toLocalDate();
            Letters letter = new Letters(title(reviewCase.decision().outcome()), preview);
            Document document = letter.document();
            header(document, reviewCase, request, noticeDate);
            switch (reviewCase.decision().outcome()) {
                case DENIED, PARTIALLY_APPROVED -> denial(document, reviewCase, determination, noticeDate);
                case APPROVED -> approval(document, determination);
                case REFERRED -> referral(document, determination);
            }
            footer(letter, reviewCase, determination);
            return letter.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render the notice of case " + reviewCase.caseId(), e);
        }
    }

    private static String title(CaseOutcome outcome) {
        return switch (outcome) {
            case DENIED, PARTIALLY_APPROVED -> "Notice of Denial of Medical Coverage";
            case APPROVED -> "Notice of Approval of Medical Coverage";
            case REFERRED -> "Notice about Your Request for Medical Coverage";
        };
    }

    private void header(Document document, ReviewCase reviewCase, JsonNode request, LocalDate noticeDate) throws DocumentException {
        document.add(new Paragraph(planName + " (Medicare Advantage)", BODY));
        document.add(new Paragraph("Date of this notice: " + DATE.format(noticeDate), BODY));
        document.add(new Paragraph("Member: " + text(request.path("member"), "name", "the member")
                + " (member ID " + text(request.path("member"), "id", "not given") + ")", BODY));
        document.add(new Paragraph("Sent to: " + reviewCase.requester().name()
                + (reviewCase.requester().address() == null ? "" : ", " + reviewCase.requester().address()), BODY));
        document.add(new Paragraph("Case number: " + reviewCase.caseId() + "    Request: " + text(request, "requestId", "-")
                + "    Date of service: " + text(request, "dateOfService", "-"), BODY));
        document.add(new Paragraph(" ", BODY));
    }

    private void denial(Document document, ReviewCase reviewCase, JsonNode determination, LocalDate noticeDate) throws DocumentException {
        boolean partial = reviewCase.decision().outcome() == CaseOutcome.PARTIALLY_APPROVED;
        section(document, partial ? "We approved part of your request and denied the rest" : "We denied your request");
        items(document, determination);
        if (reviewCase.decision().isOverride()) {
            section(document, "The reviewing physician's reason");
            document.add(new Paragraph(reviewCase.decision().rationale(), BODY));
        }
        document.add(new Paragraph("This decision was reviewed and signed by a physician: "
                + signature(reviewCase.decision().signedBy()) + ".", BODY));

        int days = rules.reconsiderationOn(noticeDate).days();
        section(document, "If you get this service anyway");
        document.add(new Paragraph("This service is not covered. If you get it anyway, you may have to pay for it yourself. "
                + "Your provider should tell you before you get it.", BODY));
        section(document, "Your right to ask us to reconsider (appeal)");
        document.add(new Paragraph("You, your appointed representative, or your treating provider can ask us to reconsider this decision. "
                + "You must ask within " + days + " calendar days of the date of this notice (by "
                + DATE.format(noticeDate.plusDays(days)) + ").", BODY));
        document.add(new Paragraph("Standard reconsideration: we decide within 30 calendar days. Send a written request to "
                + planName + ", Appeals and Grievances, with your case number, or call Member Services.", BODY));
        document.add(new Paragraph("Expedited (fast) reconsideration: if waiting 30 days could seriously harm your life, health or "
                + "ability to regain maximum function, ask for a fast decision by phone or in writing; we decide within 72 hours. "
                + "If any physician asks for a fast decision for you, we will give you one.", BODY));
        document.add(new Paragraph("You may send us information that supports your request, and you may ask for a copy of the "
                + "documents and the policy we used, free of charge.", BODY));
    }

    private void approval(Document document, JsonNode determination) throws DocumentException {
        section(document, "We approved your request");
        items(document, determination);
    }

    private void referral(Document document, JsonNode determination) throws DocumentException {
        section(document, "This policy does not decide your request; here is where it goes");
        items(document, determination);
        document.add(new Paragraph("We have not denied anything. The coverage rules named above apply instead; your provider can "
                + "send the request under them.", BODY));
    }

    private void items(Document document, JsonNode determination) throws DocumentException {
        for (JsonNode item : determination.path("items")) {
            StringBuilder line = new StringBuilder(Letters.itemName(item) + ": " + Letters.plain(item.path("outcome").asText()) + ". "
                    + item.path("explanation").asText(""));
            for (JsonNode governed : item.path("governedBy")) {
                line.append(" Governed by: ").append(governed.path("title").asText(governed.path("id").asText())).append('.');
            }
            document.add(new Paragraph(line.toString(), BODY));
        }
    }

    private void footer(Letters letter, ReviewCase reviewCase, JsonNode determination) throws DocumentException {
        Document document = letter.document();
        letter.rulesUsed(determination);
        document.add(new Paragraph(" ", BODY));
        document.add(new Paragraph("Determination " + determination.path("determinationId").asText("") + " - decided by "
                + signature(reviewCase.decision().decidedBy()) + ". Questions: call Member Services (TTY 711).", SMALL));
    }

    private static void section(Document document, String heading) throws DocumentException {
        Letters.section(document, heading);
    }

    private static String text(JsonNode node, String field, String otherwise) {
        return Letters.text(node, field, otherwise);
    }
}
