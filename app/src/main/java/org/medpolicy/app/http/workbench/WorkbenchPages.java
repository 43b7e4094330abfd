package org.medpolicy.app.http.workbench;

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
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Question;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationClock;
import org.medpolicy.security.Session;

/**
 * What the workbench's templates ({@code src/main/jte/workbench}) show, as values: the queue's
 * rows, the case page and its actions. Each page offers only the actions the signed-in user's
 * roles allow in the case's state, so what is on screen is what will be accepted (the case rules
 * still check everything again). Times are shown in the plan's zone. Public only because the
 * precompiled templates (another package) read it; nothing else outside the workbench uses it. Stateless.
 */
public final class WorkbenchPages {

    /** A choice in a select or a list of checkboxes. */
    public record Option(String value, String label) {
    }

    /** One row of the queue: an organization determination or a reconsideration, with its due time and flag. */
    public record QueueRow(String type, String href, String label, String member, String due, String flag, String state, String recommends,
                    String kind) {
    }

    /** A question the engine asked of one item, as a form. */
    public record AnswerForm(int index, String questionId, String text, List<Option> options) {
    }

    /** The case page: the case, its history and reconsiderations, and the actions the user may take. */
    public record CasePage(WorkbenchPages view, ReviewCase reviewCase, List<CaseEvent> history, List<Reconsideration> reconsiderations,
                    String csrf, String message, List<String> errors, String flag, List<AnswerForm> answers,
                    boolean canRequestInformation, boolean canExtend, List<Option> outcomes, String recommended, boolean physician,
                    boolean canDecide, boolean canNotify, boolean canWithdraw, List<Option> deniedItems, boolean canFileReconsideration) {
    }

    /** A reconsideration's page: what was asked, its clock, the decision and what followed, and the actions the user may take. */
    public record ReconsiderationPage(WorkbenchPages view, ReviewCase reviewCase, Reconsideration appeal,
                                      List<org.medpolicy.core.reconsideration.ReconsiderationEvent> history, String csrf, String message,
                                      List<String> errors, String flag, String workDue, List<Option> contested, List<AnswerForm> answers,
                                      boolean canDecide, List<Option> outcomes, boolean canExtend, boolean canDismiss,
                                      List<Option> dismissalReasons, List<Option> noticesDue, boolean canNotify, boolean canRecordIre,
                                      boolean canEffectuate) {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.US);

    /** How many services the filing form offers: a request usually names the apheresis, the infusion and the product. */
    static final int ITEMS = 3;

    private final CaseClock clock;
    private final ZoneId zone;

    WorkbenchPages(CaseClock clock) {
        this.clock = clock;
        this.zone = clock.zone();
    }

    /** An instant as the plan's staff read it: in the plan's zone. */
    public String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant.atZone(zone));
    }

    /** The suffix of service {@code i}'s field names: none for the first, its number for the others. */
    static String itemSuffix(int i) {
        return i == 1 ? "" : Integer.toString(i);
    }

    String flag(ReviewCase reviewCase, Instant now) {
        return clock.isOverdue(reviewCase, now) ? "overdue" : clock.isDueWithin24Hours(reviewCase, now) ? "soon" : null;
    }

    static String flag(ReconsiderationClock clock, Reconsideration reconsideration, Instant now) {
        return clock.isOverdue(reconsideration, now) ? "overdue" : clock.isDueWithin24Hours(reconsideration, now) ? "soon" : null;
    }

    /** The open work of both kinds, earliest due first. */
    List<QueueRow> queue(List<ReviewCase> cases, List<Reconsideration> reconsiderations, ReconsiderationClock appeals, Instant now) {
        record Due(Instant at, QueueRow row) {
        }
        List<Due> rows = new ArrayList<>();
        for (ReviewCase reviewCase : cases) {
            rows.add(new Due(reviewCase.dueAt(), new QueueRow("Determination", "/workbench/cases/" + reviewCase.caseId(), reviewCase.caseId(),
                    member(reviewCase.request().member()), when(reviewCase.dueAt()), flag(reviewCase, now), reviewCase.state().name(),
                    reviewCase.recommended() == null ? "needs information" : reviewCase.recommended().name(),
                    (reviewCase.expedited() ? "expedited" : "standard") + (reviewCase.partBDrug() ? ", Part B drug" : ""))));
        }
        for (Reconsideration reconsideration : reconsiderations) {
            Instant due = appeals.workDue(reconsideration);
            rows.add(new Due(due, new QueueRow("Reconsideration", reconsiderationPath(reconsideration), reconsideration.reconsiderationId(),
                    member(reconsideration.request().member()), when(due), flag(appeals, reconsideration, now),
                    reconsideration.state().isOpen() ? reconsideration.state().name() : "TO EFFECTUATE",
                    reconsideration.recommendation() == null ? "no recommendation" : reconsideration.recommendation().status().name(),
                    (reconsideration.expedited() ? "expedited" : "standard") + (reconsideration.partBDrug() ? ", Part B drug" : ""))));
        }
        rows.sort(java.util.Comparator.comparing(Due::at));
        return rows.stream().map(Due::row).toList();
    }

    static String reconsiderationPath(Reconsideration reconsideration) {
        return "/workbench/cases/" + reconsideration.caseId() + "/reconsiderations/" + reconsideration.reconsiderationId();
    }

    private static String member(org.medpolicy.core.request.Member member) {
        return member == null ? "" : (member.name() == null ? "" : member.name()) + " (" + member.id() + ")";
    }

    List<Option> therapyOptions(List<String> therapies) {
        List<Option> options = new ArrayList<>();
        options.add(new Option("", "(not stated)"));
        therapies.forEach(therapy -> options.add(new Option(therapy, therapy.replace('_', ' ').toLowerCase(Locale.ROOT))));
        return options;
    }

    CasePage casePage(ReviewCase reviewCase, List<CaseEvent> history, List<Reconsideration> reconsiderations, Session session,
                      Instant now, String message, List<String> errors) {
        boolean reviewer = session.user().roles().contains(Role.REVIEWER) || session.user().roles().contains(Role.PHYSICIAN);
        boolean physician = session.user().roles().contains(Role.PHYSICIAN);
        boolean intake = session.user().roles().contains(Role.INTAKE) || reviewer;
        CaseState state = reviewCase.state();
        List<AnswerForm> answers = new ArrayList<>();
        if ((state == CaseState.PENDED || state == CaseState.RECOMMENDED) && intake && reviewCase.recommendation() != null) {
            answers.addAll(answerForms(reviewCase.recommendation()));
        }
        List<Option> outcomes = new ArrayList<>();
        String recommended = reviewCase.recommended() == null ? "" : reviewCase.recommended().name();
        for (String outcome : List.of("APPROVED", "PARTIALLY_APPROVED", "DENIED", "REFERRED")) {
            boolean adverse = outcome.equals("DENIED") || outcome.equals("PARTIALLY_APPROVED");
            if (!adverse || physician) {
                outcomes.add(new Option(outcome, outcome + (outcome.equals(recommended) ? " (the engine's recommendation)" : "")));
            }
        }
        boolean adverseDecision = reviewCase.decision() != null && reviewCase.decision().outcome().isAdverse();
        boolean openAppeal = reconsiderations.stream().anyMatch(r -> r.state().isOpen());
        return new CasePage(this, reviewCase, history, reconsiderations, session.csrfToken(), message, errors == null ? List.of() : errors,
                flag(reviewCase, now), answers, (state == CaseState.RECOMMENDED || state == CaseState.RECEIVED) && reviewer,
                state.isOpen() && reviewer && reviewCase.extension() == null && !reviewCase.partBDrug(), outcomes, recommended, physician,
                (state == CaseState.RECOMMENDED || state == CaseState.PENDED && reviewCase.recommendation() == null) && reviewer,
                state == CaseState.DECIDED && intake, state.isOpen() && intake,
                itemOptions(reviewCase.recommendation(), null), adverseDecision && intake && !openAppeal);
    }

    ReconsiderationPage reconsiderationPage(ReviewCase reviewCase, Reconsideration appeal,
                                            List<org.medpolicy.core.reconsideration.ReconsiderationEvent> history, ReconsiderationClock clock,
                                            Session session, Instant now, String message, List<String> errors) {
        boolean reviewer = session.user().roles().contains(Role.REVIEWER) || session.user().roles().contains(Role.PHYSICIAN);
        boolean intake = session.user().roles().contains(Role.INTAKE) || reviewer;
        boolean open = appeal.state().isOpen();
        List<Option> outcomes = List.of(new Option("UPHELD", "UPHELD: the denial stands (the case goes to the IRE)"),
                new Option("PARTLY_REVERSED", "PARTLY_REVERSED: approve the items ticked below"),
                new Option("REVERSED", "REVERSED: approve every contested item"));
        List<Option> reasons = new ArrayList<>();
        reasons.add(new Option("WITHDRAWN", "withdrawn by who asked"));
        if (reviewer) {
            reasons.add(new Option("NOT_PROPER_PARTY", "not from a proper party"));
            reasons.add(new Option("LATE_WITHOUT_GOOD_CAUSE", "late, without good cause"));
        }
        List<Option> notices = appeal.noticesDue().stream().map(kind -> new Option(kind.pathName(),
                switch (kind) {
                    case DECISION -> "the decision notice";
                    case FORWARDED_TO_IRE -> "the notice that the case went to the IRE";
                    case DISMISSAL -> "the dismissal notice";
                })).toList();
        Instant workDue = clock.workDue(appeal);
        return new ReconsiderationPage(this, reviewCase, appeal, history, session.csrfToken(), message, errors == null ? List.of() : errors,
                flag(clock, appeal, now), workDue == null ? "" : when(workDue), contested(appeal),
                open && intake && appeal.recommendation() != null ? answerForms(appeal.recommendation()) : List.of(), open && reviewer, outcomes,
                open && reviewer && appeal.extension() == null && !appeal.partBDrug(), open && intake, reasons, notices,
                intake && !notices.isEmpty(),
                appeal.state() == org.medpolicy.core.reconsideration.ReconsiderationState.FORWARDED_TO_IRE && intake,
                appeal.outstandingEffectuation() != null && intake);
    }

    /** The contested items as choices; by number alone when the engine made no recommendation. */
    private static List<Option> contested(Reconsideration appeal) {
        if (appeal.recommendation() != null) {
            return itemOptions(appeal.recommendation(), appeal.items());
        }
        return appeal.items().stream().map(index -> new Option(Integer.toString(index), "Item " + (index + 1))).toList();
    }

    /** The questions a determination asks, one form each. */
    static List<AnswerForm> answerForms(Determination determination) {
        List<AnswerForm> forms = new ArrayList<>();
        for (ItemDetermination item : determination.items()) {
            if (item.questions() == null) {
                continue;
            }
            for (Question question : item.questions()) {
                List<Option> options = question.answerOptions().stream()
                        .map(option -> new Option(option.code(), option.display() == null ? option.code() : option.display())).toList();
                forms.add(new AnswerForm(item.index(), question.id(), question.text() == null ? "Answer" : question.text(), options));
            }
        }
        return forms;
    }

    /** The items of a determination as choices ("Item 1: tumor infiltrating lymphocytes, NOT_COVERED"), those in {@code only} if given. */
    static List<Option> itemOptions(Determination determination, List<Integer> only) {
        List<Option> options = new ArrayList<>();
        if (determination == null) {
            return options;
        }
        for (ItemDetermination item : determination.items()) {
            if (only == null && item.outcome() == org.medpolicy.core.determination.Outcome.COVERED
                    || only != null && !only.contains(item.index())) {
                continue;
            }
            String name = item.product() != null ? item.product().name()
                    : item.category() != null ? item.category().replace('_', ' ').toLowerCase(Locale.ROOT) : "service";
            options.add(new Option(Integer.toString(item.index()), "Item " + (item.index() + 1) + ": " + name + ", " + item.outcome()));
        }
        return options;
    }

    public static String shown(com.fasterxml.jackson.databind.JsonNode value) {
        String shown = value.isTextual() ? value.asText() : value.toString();
        return shown.length() > 200 ? shown.substring(0, 197) + "…" : shown;
    }
}
