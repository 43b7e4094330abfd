package org.medpolicy.core.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.MemberNotice;
import org.medpolicy.core.determination.PolicyReference;
import org.medpolicy.core.determination.Status;
import org.medpolicy.core.policy.LoadedPolicy;
import org.medpolicy.core.policy.MedicareRules;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.RegulatoryClock;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestVocabulary;
import org.medpolicy.core.request.Urgency;

/**
 * The engine: picks the policy version in effect on the date of service, decides each item with
 * it, and adds what surrounds the items (status, review warning, decision clock, member notice).
 * Immutable and thread-safe; all per-request state lives on the stack.
 */
final class PolicyEngine implements CoverageEngine {

    private final PolicyLibrary library;
    private final Clock clock;
    private final TimeOrderedIds.Kind ids;
    private final MedicareRules rules;
    private final RegulatoryClock deadlines;
    private final String dataVersion;
    /** Per line of business, its versions newest first. */
    private final Map<String, List<Version>> versionsByLine;
    private final RequestVocabulary vocabulary;

    /** A compiled version of a policy. */
    private record Version(CompiledPolicy policy) {
    }

    /** @param ids makes a determination id from the decision's epoch millisecond */
    PolicyEngine(PolicyLibrary library, Clock clock, ZoneId zone, String dataVersion, TimeOrderedIds.Kind ids) {
        this.ids = ids;
        this.library = library;
        this.clock = clock;
        this.rules = library.medicareRules();
        this.deadlines = new RegulatoryClock(rules, zone);
        this.dataVersion = dataVersion;
        Map<String, List<Version>> byLine = new HashMap<>();
        Set<String> therapies = new TreeSet<>();
        Map<String, Set<String>> answers = new HashMap<>();
        for (LoadedPolicy loaded : library.policies()) {
            var document = loaded.document();
            CompiledPolicy compiled = PolicyCompiler.compile(document, library, dataVersion);
            for (String line : document.linesOfBusiness()) {
                byLine.computeIfAbsent(line, key -> new ArrayList<>()).add(new Version(compiled));
            }
            therapies.addAll(document.categories().keySet());
            document.questions().forEach((id, question) -> question.answerOptions()
                    .forEach(option -> answers.computeIfAbsent(id, key -> new TreeSet<>()).add(option.code())));
        }
        byLine.values().forEach(list -> list.sort(
                Comparator.comparing((Version v) -> v.policy().effectiveFrom()).reversed()));
        this.versionsByLine = Map.copyOf(byLine);
        this.vocabulary = new RequestVocabulary(therapies, answers, new TreeSet<>(byLine.keySet()), rules.lineOfBusiness());
    }

    @Override
    public RequestVocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public PolicyLibrary library() {
        return library;
    }

    @Override
    public String dataVersion() {
        return dataVersion;
    }

    @Override
    public RegulatoryClock regulatoryClock() {
        return deadlines;
    }

    @Override
    public Determination decide(CoverageRequest request) {
        return assess(request).determination();
    }

    @Override
    public Assessment assess(CoverageRequest request) {
        Version version = versionFor(request);
        CompiledPolicy policy = version.policy();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        LocalDate dateOfService = request.dateOfService();

        int count = request.items().size();
        List<ItemDetermination> items = new ArrayList<>(count);
        List<String> warnings = new ArrayList<>(1);
        boolean partBDrug = false;
        for (int index = 0; index < count; index++) {
            ItemDecision decision = policy.decideItem(request.items().get(index), dateOfService);
            items.add(decision.determination().at(index));
            partBDrug |= decision.partBDrug();
            for (String note : decision.notes()) {
                warnings.add("items[" + index + "]: " + note);
            }
        }

        boolean reviewOverdue = isOverdue(policy, now);
        PolicyReference reference = reviewOverdue ? policy.overdue : policy.current;
        if (reviewOverdue) {
            warnings.add(0, "Policy review overdue: next review was due " + policy.document.dates().nextReview() + ".");
        }

        Status status = Status.of(items);
        Instant decisionDueBy = null;
        MemberNotice notice = null;
        if (request.kind() == RequestKind.PRE_SERVICE) {
            Instant receivedAt = request.receivedAt() == null ? now : request.receivedAt();
            decisionDueBy = deadlines.decisionDue(receivedAt, request.urgency() == Urgency.EXPEDITED, partBDrug);
            if (items.stream().anyMatch(item -> item.outcome().isAdverse())) {
                notice = memberNotice(policy, now);
            }
        }
        return new Assessment(new Determination(ids.apply(now.toEpochMilli()), request.requestId(), request.kind(), status,
                reference, items, warnings, now, decisionDueBy, notice), partBDrug);
    }

    @Override
    public ScreenedItem screen(String lineOfBusiness, LocalDate dateOfService, org.medpolicy.core.request.RequestItem item) {
        Version version = versionFor(lineOfBusiness, dateOfService);
        ItemDecision decision = version.policy().decideItem(item, dateOfService);
        boolean overdue = isOverdue(version.policy(), clock.instant());
        return new ScreenedItem(decision.determination(), overdue ? version.policy().overdue : version.policy().current,
                decision.notes());
    }

    private Version versionFor(CoverageRequest request) {
        return versionFor(request.lineOfBusiness(), request.dateOfService());
    }

    private Version versionFor(String lineOfBusiness, LocalDate dateOfService) {
        List<Version> versions = versionsByLine.get(lineOfBusiness);
        if (versions == null) {
            throw ProblemException.undecidable(
                    "Line of business " + lineOfBusiness + " is not governed by these policies.",
                    List.of(new FieldError("lineOfBusiness", "must be one of " + String.join(", ", vocabulary.linesOfBusiness())
                            + "; " + lineOfBusiness + " is not governed by these policies")));
        }
        for (Version version : versions) {
            if (!dateOfService.isBefore(version.policy().effectiveFrom())) {
                return version;
            }
        }
        LocalDate earliest = versions.get(versions.size() - 1).policy().effectiveFrom();
        throw ProblemException.undecidable(
                "No policy version is in effect on " + dateOfService + ".",
                List.of(new FieldError("dateOfService", "no policy version is in effect on " + dateOfService
                        + "; the earliest takes effect on " + earliest)));
    }

    private boolean isOverdue(CompiledPolicy policy, Instant now) {
        return library.isReviewOverdue(policy.document, now.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    private MemberNotice memberNotice(CompiledPolicy policy, Instant now) {
        var template = policy.document.memberNotice();
        int days = rules.reconsiderationOn(now.atOffset(ZoneOffset.UTC).toLocalDate()).days();
        return new MemberNotice(
                template.financialResponsibility().replace("{appealWindowDays}", Integer.toString(days)),
                template.appealRights().replace("{appealWindowDays}", Integer.toString(days)),
                template.whoMayAppeal(), days);
    }

    @Override
    public String toString() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        versionsByLine.forEach((line, list) -> versions.put(line,
                list.stream().map(v -> v.policy().document.id() + "@" + v.policy().document.version()).toList()));
        return "PolicyEngine" + versions;
    }

    @Override
    public TimeOrderedIds.Kind ids() {
        return ids;
    }
}
