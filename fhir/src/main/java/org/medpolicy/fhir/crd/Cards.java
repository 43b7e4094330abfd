package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import java.util.stream.Collectors;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.PolicyReference;

/**
 * CDS Hooks cards for coverage information: what governs an order this policy does not address,
 * why a not-covered order is not covered, what is needed to decide. Summaries stay under the
 * 140 characters CDS Hooks allows; the detail carries the explanation and the policy passages.
 * Stateless.
 */
final class Cards {

    static final String CARD_TYPES = "http://terminology.hl7.org/CodeSystem/cdshooks-card-type";
    private static final int MAX_SUMMARY = 139;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Cards() {
    }

    /** The card for one order's decision, or null when there is nothing to say (covered). */
    static ObjectNode forItem(String orderLabel, ItemDetermination item, PolicyReference policy, String policyUrl) {
        String summary;
        String indicator = "info";
        switch (item.outcome()) {
            case NOT_COVERED -> {
                summary = orderLabel + ": not covered (investigational) under " + governing(item);
                indicator = "warning";
            }
            case INVALID_CODE -> {
                summary = orderLabel + ": code not valid for Medicare";
                indicator = "warning";
            }
            case OUT_OF_SCOPE -> summary = item.governedBy().isEmpty()
                    ? orderLabel + ": not addressed by this policy"
                    : orderLabel + ": decided under " + governing(item);
            case INFO_NEEDED -> summary = orderLabel + ": more information needed to decide coverage";
            default -> {
                return null;
            }
        }
        ObjectNode card = NODES.objectNode();
        card.put("uuid", UUID.randomUUID().toString());
        card.put("summary", shorten(summary));
        card.put("indicator", indicator);
        card.put("detail", detail(item, policy));
        ObjectNode source = card.putObject("source");
        source.put("label", "medpolicy: " + policy.title());
        source.put("url", policyUrl);
        ObjectNode topic = source.putObject("topic");
        topic.put("system", CARD_TYPES);
        topic.put("code", "coverage-info");
        topic.put("display", "Coverage Information");
        ObjectNode link = card.putArray("links").addObject();
        link.put("label", "Policy: " + policy.title() + " (version " + policy.version() + ")");
        link.put("url", policyUrl);
        link.put("type", "absolute");
        return card;
    }

    /** A card saying coverage could not be evaluated, for technical or coverage problems. */
    static ObjectNode problem(String summary, String detail, String label) {
        ObjectNode card = NODES.objectNode();
        card.put("uuid", UUID.randomUUID().toString());
        card.put("summary", shorten(summary));
        card.put("indicator", "warning");
        card.put("detail", detail);
        ObjectNode source = card.putObject("source");
        source.put("label", label);
        ObjectNode topic = source.putObject("topic");
        topic.put("system", CARD_TYPES);
        topic.put("code", "coverage-info");
        topic.put("display", "Coverage Information");
        return card;
    }

    private static String governing(ItemDetermination item) {
        return item.governedBy().stream()
                .map(g -> "NCD".equals(g.type()) ? "NCD " + g.id() : "MEDICATION_POLICY_MANUAL".equals(g.type()) ? "Medication Policy Manual"
                        : "MEDICAL_POLICY".equals(g.type()) ? "policy " + g.id() : g.type() + " " + g.id())
                .collect(Collectors.joining(", "));
    }

    private static String detail(ItemDetermination item, PolicyReference policy) {
        StringBuilder detail = new StringBuilder(item.explanation());
        if (!item.governedBy().isEmpty()) {
            detail.append("\n\nGoverned by: ")
                    .append(item.governedBy().stream().map(GovernedBy::title).collect(Collectors.joining("; "))).append('.');
        }
        if (item.outcome() == Outcome.INFO_NEEDED && item.questions() != null) {
            item.questions().forEach(question -> detail.append("\n\n").append(question.text()));
        }
        for (Citation citation : item.citations()) {
            if (citation.quote() != null) {
                detail.append("\n\n> ").append(citation.quote()).append("\n> — ")
                        .append(citation.isPolicyPassage() ? policy.title() + ", " + citation.section() : citation.source());
            }
        }
        return detail.toString();
    }

    static String shorten(String summary) {
        return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…";
    }
}
