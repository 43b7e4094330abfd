package org.medpolicy.app.notice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lowagie.text.DocumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.reconsideration.IreCaseFileWriter;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationEvent;
import org.medpolicy.core.reconsideration.StoredDocument;

/**
 * The case file forwarded to the independent review entity, in two forms made from the same
 * contents: a bundle for the IRE's systems (JSON, schema {@code medpolicy.ire-case-file/1}: the
 * request as it stands, every determination with its policy version and citations, the evidence
 * received (the answers given and what the member wrote), both histories, and the notices sent, as
 * PDF) and a PDF for the IRE's reviewer that lists the same. Stateless and thread-safe.
 */
public final class IreCaseFiles implements IreCaseFileWriter {

    public static final String SCHEMA = "medpolicy.ire-case-file/1";

    private final NoticeRenderer base;

    public IreCaseFiles(NoticeRenderer base) {
        this.base = base;
    }

    @Override
    public List<StoredDocument> write(Contents contents) {
        byte[] bundle = ContractJson.writePretty(bundle(contents)).getBytes(StandardCharsets.UTF_8);
        return List.of(new StoredDocument(StoredDocument.CASE_FILE_BUNDLE, "application/json", bundle),
                new StoredDocument(StoredDocument.CASE_FILE_PDF, "application/pdf", pdf(contents)));
    }

    ObjectNode bundle(Contents contents) {
        Reconsideration reconsideration = contents.reconsideration();
        ObjectNode out = ContractJson.mapper().createObjectNode();
        out.put("schema", SCHEMA);
        out.put("plan", base.planName());
        out.put("caseId", contents.organizationDetermination().caseId());
        out.put("reconsiderationId", reconsideration.reconsiderationId());
        out.set("forwarding", ContractJson.mapper().valueToTree(reconsideration.forwarding()));
        out.set("contestedItems", ContractJson.mapper().valueToTree(reconsideration.items()));
        out.set("request", ContractJson.mapper().valueToTree(reconsideration.request()));
        ArrayNode determinations = out.putArray("determinations");
        determinations.add(determination("ORGANIZATION_DETERMINATION", contents.organizationDetermination().recommendation()));
        determinations.add(determination("RECONSIDERATION", reconsideration.recommendation()));
        out.set("organizationDetermination", ContractJson.mapper().valueToTree(contents.organizationDetermination().decision()));
        out.set("reconsiderationDecision", ContractJson.mapper().valueToTree(reconsideration.decision()));
        ObjectNode evidence = out.putObject("evidence");
        evidence.put("reason", reconsideration.reason());
        evidence.set("filing", ContractJson.mapper().valueToTree(reconsideration.filing()));
        evidence.set("requester", ContractJson.mapper().valueToTree(reconsideration.requester()));
        ArrayNode answers = evidence.putArray("answers");
        for (int index = 0; index < reconsideration.request().items().size(); index++) {
            var given = reconsideration.request().items().get(index).answers();
            if (given != null && !given.isEmpty()) {
                answers.addObject().put("item", index).set("answers", ContractJson.mapper().valueToTree(given));
            }
        }
        ObjectNode history = out.putObject("history");
        history.set("organizationDetermination", ContractJson.mapper().valueToTree(contents.caseHistory()));
        history.set("reconsideration", ContractJson.mapper().valueToTree(contents.reconsiderationHistory()));
        ArrayNode notices = out.putArray("notices");
        if (contents.determinationNotice() != null) {
            notices.addObject().put("kind", "ORGANIZATION_DETERMINATION").put("contentType", "application/pdf")
                    .put("data", Base64.getEncoder().encodeToString(contents.determinationNotice()));
        }
        for (StoredDocument notice : contents.reconsiderationNotices()) {
            notices.addObject().put("kind", notice.kind()).put("contentType", notice.contentType())
                    .put("data", Base64.getEncoder().encodeToString(notice.body()));
        }
        return out;
    }

    private static ObjectNode determination(String review, Object determination) {
        ObjectNode node = ContractJson.mapper().createObjectNode();
        node.put("review", review);
        node.set("determination", ContractJson.mapper().valueToTree(determination));
        return node;
    }

    private byte[] pdf(Contents contents) {
        Reconsideration reconsideration = contents.reconsideration();
        try {
            Letters file = new Letters("Case File for the Independent Review Entity", false);
            file.line(base.planName() + " (Medicare Advantage)");
            file.line("Case " + contents.organizationDetermination().caseId() + ", reconsideration " + reconsideration.reconsiderationId()
                    + " (" + (reconsideration.expedited() ? "expedited" : "standard") + (reconsideration.partBDrug() ? ", Part B drug" : "")
                    + "); contested items " + reconsideration.items());
            file.line("Forwarded " + reconsideration.forwarding().forwardedAt() + " (" + reconsideration.forwarding().reason()
                    + "); due at the IRE by " + reconsideration.forwarding().dueBy());
            file.section("The request");
            file.line("Member " + reconsideration.request().member().id() + ", request " + reconsideration.request().requestId()
                    + ", date of service " + reconsideration.request().dateOfService());
            file.section("Organization determination");
            var decision = contents.organizationDetermination().decision();
            file.line(decision.outcome() + " on " + decision.decidedAt() + " by " + base.signature(decision.decidedBy())
                    + (decision.rationale() == null ? "" : ": " + decision.rationale()));
            determination(file, contents.organizationDetermination().recommendation());
            file.section("Reconsideration");
            file.line("Asked for by " + reconsideration.requester().role() + (reconsideration.requester().name() == null ? ""
                    : " (" + reconsideration.requester().name() + ")") + ", received " + reconsideration.receivedAt()
                    + (reconsideration.reason() == null ? "" : "; reason: " + reconsideration.reason()));
            if (reconsideration.decision() != null) {
                file.line(reconsideration.decision().outcome() + " on " + reconsideration.decision().decidedAt() + " by "
                        + base.signature(reconsideration.decision().decidedBy())
                        + (reconsideration.decision().rationale() == null ? "" : ": " + reconsideration.decision().rationale()));
            } else {
                file.line("Not decided by " + reconsideration.dueAt() + ": forwarded as upheld.");
            }
            determination(file, reconsideration.recommendation());
            file.section("History");
            for (CaseEvent event : contents.caseHistory()) {
                file.small(event.at() + "  " + event.actor() + "  " + event.action() + "  " + event.to()
                        + (event.reason() == null ? "" : "  " + event.reason()));
            }
            for (ReconsiderationEvent event : contents.reconsiderationHistory()) {
                file.small(event.at() + "  " + event.actor() + "  " + event.action() + "  " + event.to()
                        + (event.reason() == null ? "" : "  " + event.reason()));
            }
            file.section("Notices enclosed in the bundle");
            file.line((contents.determinationNotice() == null ? "" : "organization determination notice; ")
                    + contents.reconsiderationNotices().stream().map(StoredDocument::kind).toList());
            return file.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render the IRE case file of " + reconsideration.reconsiderationId(), e);
        }
    }

    private static void determination(Letters file, org.medpolicy.core.determination.Determination determination) throws DocumentException {
        if (determination == null) {
            file.line("No determination: no policy of this plan decides the request; a person decided it.");
            return;
        }
        file.line("Determination " + determination.determinationId() + ": " + determination.status() + " under "
                + determination.policy().id() + " version " + determination.policy().version());
        for (var item : determination.items()) {
            file.small("Item " + (item.index() + 1) + ": " + item.outcome() + " - " + item.explanation());
            for (var citation : item.citations()) {
                file.small("    " + (citation.section() == null ? citation.source() : citation.section()) + ": \"" + citation.quote() + "\"");
            }
        }
    }
}
