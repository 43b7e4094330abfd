package org.medpolicy.app.http.workbench;

import org.medpolicy.app.http.cases.CaseComponents;
import org.medpolicy.app.http.cases.CaseRefusals;

import static org.medpolicy.app.http.workbench.WorkbenchRoutes.blankToNull;
import static org.medpolicy.app.http.workbench.WorkbenchRoutes.form;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.cases.Actor;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.reconsideration.DismissalReason;
import org.medpolicy.core.reconsideration.NewReconsideration;
import org.medpolicy.core.reconsideration.NoticeKind;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationOutcome;
import org.medpolicy.core.reconsideration.ReconsiderationService;
import org.medpolicy.core.reconsideration.RequestedBy;
import org.medpolicy.security.Session;

/**
 * The workbench's reconsiderations: filing one from the case page, the reconsideration page and
 * each action on it, through the same {@link ReconsiderationService} the API uses. Done → back to
 * the page with what happened; refused → the page with the rule that refused it (every problem).
 * Thread-safe.
 */
public final class WorkbenchReconsiderations {

    private final CaseComponents cases;
    private final ReconsiderationService reconsiderations;
    private final WorkbenchPages pages;

    WorkbenchReconsiderations(CaseComponents cases, WorkbenchPages pages) {
        this.cases = cases;
        this.reconsiderations = cases.reconsiderations();
        this.pages = pages;
    }

    /** Files the reconsideration the case page's form describes. */
    Reconsideration file(Context ctx, String caseId, Actor actor) {
        List<Integer> items = new ArrayList<>();
        for (String item : ctx.formParams("items")) {
            try {
                items.add(Integer.parseInt(item));
            } catch (NumberFormatException e) {
                throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The items contested could not be read.");
            }
        }
        RequestedBy requestedBy;
        try {
            requestedBy = RequestedBy.valueOf(form(ctx, "requestedBy"));
        } catch (IllegalArgumentException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Choose who asked for the reconsideration.");
        }
        return reconsiderations.file(caseId, new NewReconsideration(requestedBy, blankToNull(form(ctx, "requesterName")),
                items.isEmpty() ? null : items, "true".equals(form(ctx, "expedited")), blankToNull(form(ctx, "appealReason")),
                blankToNull(form(ctx, "goodCause")), null, Map.of()), actor, Channel.WORKBENCH);
    }

    void page(Context ctx) {
        String done = ctx.queryParam("done");
        String message = done == null ? null : switch (done) {
            case "filed" -> "Reconsideration filed; the engine decided again on the request as it stands.";
            case "information" -> "Answer recorded; the engine decided again.";
            case "decision" -> "Decision recorded.";
            case "extension" -> "Deadline extended.";
            case "ire-decision" -> "The IRE's decision is recorded.";
            case "effectuation" -> "Effectuation recorded.";
            case "dismissal" -> "Request dismissed.";
            default -> done.startsWith("notice-") ? "Notice sent." : null;
        };
        show(ctx, 200, message, List.of());
    }

    private void show(Context ctx, int status, String message, List<String> errors) {
        Session session = WorkbenchRoutes.session(ctx);
        Reconsideration appeal = reconsiderations.load(ctx.pathParam("caseId"), ctx.pathParam("reconsiderationId"));
        ReviewCase reviewCase = cases.service().load(appeal.caseId());
        Templates.page(ctx, status, "Reconsideration " + appeal.reconsiderationId(), session.user().displayName(), session.csrfToken(),
                "workbench/reconsideration.jte", Map.of("page", pages.reconsiderationPage(reviewCase, appeal,
                        reconsiderations.repository().history(appeal.reconsiderationId()), reconsiderations.clock(), session, Instant.now(),
                        message, errors)));
    }

    /** One action from a form on the reconsideration page. */
    void act(Context ctx) {
        Session session = WorkbenchRoutes.session(ctx);
        Actor actor = session.user().actor();
        String action = ctx.pathParam("action");
        Reconsideration current = reconsiderations.load(ctx.pathParam("caseId"), ctx.pathParam("reconsiderationId"));
        String id = current.reconsiderationId();
        try {
            switch (action) {
                case "information" -> answer(ctx, current, actor);
                case "decision" -> reconsiderations.decide(id, actor, choice(ReconsiderationOutcome.class, form(ctx, "outcome"), "an outcome"),
                        indexes(ctx.formParams("reversedItems")), blankToNull(form(ctx, "rationale")));
                case "extension" -> reconsiderations.extend(id, actor, WorkbenchRoutes.parseDays(form(ctx, "days")), form(ctx, "extensionReason"));
                case "ire-decision" -> reconsiderations.recordIreDecision(id, actor, choice(Reconsideration.IreOutcome.class,
                        form(ctx, "ireOutcome"), "the IRE's decision"), blankToNull(form(ctx, "reference")), null, null);
                case "effectuation" -> reconsiderations.effectuate(id, actor, blankToNull(form(ctx, "note")));
                case "dismissal" -> reconsiderations.dismiss(id, actor, choice(DismissalReason.class, form(ctx, "dismissalReason"), "a reason"),
                        form(ctx, "explanation"));
                default -> {
                    if (!action.startsWith("notice-")) {
                        throw new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "There is no action " + action + ".");
                    }
                    NoticeKind kind = NoticeKind.fromPathName(action.substring("notice-".length()))
                            .orElseThrow(() -> new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Choose a notice."));
                    cases.sendReconsiderationNotice(current.caseId(), id, kind, actor);
                }
            }
            ctx.redirect(WorkbenchPages.reconsiderationPath(current) + "?done=" + action, io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (CaseRefusal refusal) {
            List<String> errors = new ArrayList<>();
            errors.add(refusal.getMessage());
            for (FieldError problem : refusal.problems()) {
                errors.add(problem.field() + ": " + problem.message());
            }
            show(ctx, CaseRefusals.status(refusal), null, refusal.problems().size() > 1 ? errors.subList(1, errors.size()) : errors);
        }
    }

    private void answer(Context ctx, Reconsideration current, Actor actor) {
        try {
            int index = Integer.parseInt(form(ctx, "item"));
            reconsiderations.addInformation(current.reconsiderationId(), actor, Channel.WORKBENCH,
                    Map.of(index, Map.of(form(ctx, "question"), form(ctx, "answer"))), "answer recorded in the workbench");
        } catch (NumberFormatException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The answer could not be read.");
        } catch (ProblemException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The answer is not one the question offers.");
        }
    }

    private static List<Integer> indexes(List<String> values) {
        List<Integer> indexes = new ArrayList<>();
        for (String value : values) {
            try {
                indexes.add(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The items could not be read.");
            }
        }
        return indexes;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String what) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Choose " + what + ".");
        }
    }
}
