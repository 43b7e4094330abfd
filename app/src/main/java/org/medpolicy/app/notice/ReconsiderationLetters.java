package org.medpolicy.app.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.lowagie.text.DocumentException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.reconsideration.NoticeKind;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationOutcome;

/**
 * The letters of a reconsideration: the plan's decision (reversed, partly reversed or upheld, with
 * the reason for each contested item in plain language, the deciding person by name and
 * credentials, the policy and version), the notice that the case went to the independent review
 * entity (upheld, or not decided in time), and the dismissal notice with how to have the dismissal
 * reviewed. Plan name, zone and signatures are the case letters' ({@link NoticeRenderer}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ReconsiderationLetters {

    private final NoticeRenderer base;

    public ReconsiderationLetters(NoticeRenderer base) {
        this.base = base;
    }

    /** The letter of {@code kind}; {@code preview} marks a draft not yet sent. */
    public byte[] render(ReviewCase reviewCase, Reconsideration reconsideration, NoticeKind kind, boolean preview) {
        try {
            Letters letter = new Letters(title(reconsideration, kind), preview);
            Instant dated = switch (kind) {
                case DECISION -> reconsideration.decision().decidedAt();
                case FORWARDED_TO_IRE -> reconsideration.forwarding().forwardedAt();
                case DISMISSAL -> reconsideration.dismissal().dismissedAt();
            };
            header(letter, reviewCase, reconsideration, dated);
            switch (kind) {
                case DECISION -> decision(letter, reconsideration);
                case FORWARDED_TO_IRE -> forwarded(letter, reconsideration);
                case DISMISSAL -> dismissal(letter, reconsideration);
            }
            if (reconsideration.recommendation() != null) {
                letter.rulesUsed(ContractJson.mapper().valueToTree(reconsideration.recommendation()));
            }
            letter.blank();
            letter.small("Reconsideration " + reconsideration.reconsiderationId() + " of case " + reviewCase.caseId()
                    + ". Questions: call Member Services (TTY 711).");
            return letter.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render the " + kind + " notice of reconsideration " + reconsideration.reconsiderationId(), e);
        }
    }

    private static String title(Reconsideration reconsideration, NoticeKind kind) {
        return switch (kind) {
            case DECISION -> reconsideration.decision().outcome() == ReconsiderationOutcome.REVERSED
                    ? "Notice of Reconsideration Decision: We Changed Our Decision"
                    : reconsideration.decision().outcome() == ReconsiderationOutcome.PARTLY_REVERSED
                    ? "Notice of Reconsideration Decision: We Changed Part of Our Decision"
                    : "Notice of Reconsideration Decision: We Did Not Change Our Decision";
            case FORWARDED_TO_IRE -> "Notice That Your Case Was Sent to the Independent Review Entity";
            case DISMISSAL -> "Notice of Dismissal of Your Request for Reconsideration";
        };
    }

    private void header(Letters letter, ReviewCase reviewCase, Reconsideration reconsideration, Instant dated) throws DocumentException {
        JsonNode member = ContractJson.mapper().valueToTree(reviewCase.request()).path("member");
        letter.line(base.planName() + " (Medicare Advantage)");
        letter.line("Date of this notice: " + Letters.DATE.format(dated.atZone(base.zone()).toLocalDate()));
        letter.line("Member: " + Letters.text(member, "name", "the member") + " (member ID " + Letters.text(member, "id", "not given") + ")");
        Reconsideration.Requester requester = reconsideration.requester();
        letter.line("Reconsideration asked for by: " + (requester.name() == null ? "" : requester.name() + ", ")
                + requester.role().name().toLowerCase(Locale.ROOT) + "; received " + Letters.DATE.format(
                reconsideration.receivedAt().atZone(base.zone()).toLocalDate()) + (reconsideration.expedited() ? " (expedited)" : " (standard)"));
        letter.line("Case number: " + reviewCase.caseId() + "    Reconsideration: " + reconsideration.reconsiderationId()
                + "    Request: " + reviewCase.request().requestId() + "    Date of service: " + reviewCase.request().dateOfService());
        letter.blank();
    }

    private void decision(Letters letter, Reconsideration reconsideration) throws DocumentException {
        Reconsideration.Decision decision = reconsideration.decision();
        letter.section(switch (decision.outcome()) {
            case REVERSED -> "We looked at your request again and we now approve it";
            case PARTLY_REVERSED -> "We looked at your request again and we now approve part of it";
            case UPHELD -> "We looked at your request again and we still deny it";
        });
        items(letter, reconsideration, decision.reversedItems());
        if (decision.rationale() != null) {
            letter.section("The reason for our decision");
            letter.line(decision.rationale());
        }
        letter.line("Your request was decided by " + base.signature(decision.signedBy() != null ? decision.signedBy() : decision.decidedBy())
                + ", who took no part in our first decision.");
        if (reconsideration.effectuation() != null) {
            letter.section("What happens next for what we approved");
            letter.line("We will authorize the approved items by " + Letters.DATE.format(
                    reconsideration.effectuation().dueAt().atZone(base.zone()).toLocalDate()) + ". Your provider will be told.");
        }
        if (reconsideration.forwarding() != null) {
            letter.section("What happens next for what we still deny");
            letter.line("Because we did not approve everything you asked for, we must send your case to the Independent Review "
                    + "Entity (IRE), an organization Medicare contracts with that is not part of our plan. We sent it on "
                    + Letters.DATE.format(reconsideration.forwarding().forwardedAt().atZone(base.zone()).toLocalDate())
                    + ". You do not need to do anything; the IRE will write to you with its decision.");
        }
    }

    private void forwarded(Letters letter, Reconsideration reconsideration) throws DocumentException {
        Reconsideration.IreForwarding forwarding = reconsideration.forwarding();
        letter.section("We sent your case to the Independent Review Entity");
        letter.line(forwarding.reason() == Reconsideration.ForwardReason.UPHELD
                ? "We reconsidered your request and did not approve everything you asked for, so Medicare's rules require us to send "
                + "your case to the Independent Review Entity (IRE) for an independent decision."
                : "We did not decide your reconsideration within the time Medicare allows, so Medicare's rules require us to send "
                + "your case to the Independent Review Entity (IRE), as if we had not changed our decision.");
        letter.line("We sent your case file on " + Letters.DATE.format(forwarding.forwardedAt().atZone(base.zone()).toLocalDate())
                + ". It covers:");
        items(letter, reconsideration, List.of());
        letter.line("You do not need to do anything. The IRE will write to you with its decision. You may send the IRE more "
                + "information that supports your request, and you may ask us for a free copy of your case file.");
    }

    private void dismissal(Letters letter, Reconsideration reconsideration) throws DocumentException {
        Reconsideration.Dismissal dismissal = reconsideration.dismissal();
        letter.section("We dismissed your request for reconsideration");
        letter.line(switch (dismissal.reason()) {
            case NOT_PROPER_PARTY -> "The request did not come from you, from your appointed representative, or from a physician "
                    + "acting for you, so we cannot accept it.";
            case LATE_WITHOUT_GOOD_CAUSE -> "The request came after the time allowed to ask (it closed on "
                    + Letters.DATE.format(reconsideration.filing().deadline()) + ") and we did not find good cause for the delay.";
            case WITHDRAWN -> "The request was withdrawn.";
        });
        letter.line(dismissal.explanation());
        letter.line("This means we did not look at your request again; our first decision stands.");
        letter.section("If you disagree with this dismissal");
        letter.line("You may ask the Independent Review Entity (IRE) to review our dismissal. You may also ask us to vacate it if you "
                + "have good cause (for example, if you did not withdraw the request, or had a reason for asking late). Call Member "
                + "Services (TTY 711) for how to ask and for the IRE's address.");
        letter.line("Dismissed by " + base.signature(dismissal.dismissedBy()) + ".");
    }

    /** Each contested item: approved (when in {@code approved}) or still denied, with the reason in plain language. */
    private static void items(Letters letter, Reconsideration reconsideration, List<Integer> approved) throws DocumentException {
        if (reconsideration.recommendation() == null) {
            for (int index : reconsideration.items()) {
                letter.line("Item " + (index + 1) + ": " + (approved.contains(index) ? "approved." : "still denied, for the reason given below."));
            }
            return;
        }
        JsonNode determination = ContractJson.mapper().valueToTree(reconsideration.recommendation());
        for (JsonNode item : determination.path("items")) {
            int index = item.path("index").asInt();
            if (!reconsideration.items().contains(index)) {
                continue;
            }
            String outcome = item.path("outcome").asText();
            letter.line(Letters.itemName(item) + ": " + (approved.contains(index) ? "approved."
                    : outcome.equals("COVERED") || outcome.equals("INFO_NEEDED") ? "still denied, for the reason given below."
                    : "still denied: " + Letters.plain(outcome) + ". " + item.path("explanation").asText("")));
        }
    }
}
