package org.medpolicy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.Status;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CodeSystem;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestItem;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.Requester;
import org.medpolicy.core.request.RequesterRole;
import org.medpolicy.core.request.Urgency;

/**
 * A made-up policy (commercial hyperbaric oxygen, two versions, its own reference data, a COVERED
 * path the seed never takes) decided by the same engine with no change: proof that the rules live
 * in the data.
 */
class SecondPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final PolicyLibrary LIBRARY = PolicyLoader.load(folder());
    private static final CoverageEngine ENGINE = CoverageEngines.create(LIBRARY, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Path folder() {
        try {
            return Path.of(SecondPolicyTest.class.getResource("/made-up-policies/reference/codes.yaml").toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Determination decide(String dateOfService, Urgency urgency, RequestItem... items) {
        return ENGINE.decide(new CoverageRequest("T-1", RequestKind.PRE_SERVICE, "COMMERCIAL", LocalDate.parse(dateOfService),
                Instant.parse("2026-11-27T10:00:00Z"), urgency, new Requester(RequesterRole.MEMBER, null), null, List.of(items)));
    }

    private static Determination decide(String dateOfService, RequestItem... items) {
        return decide(dateOfService, Urgency.STANDARD, items);
    }

    private static List<String> governedBy(Determination determination, int item) {
        return determination.items().get(item).governedBy().stream().map(GovernedBy::id).toList();
    }

    @Test
    void theVocabularyComesFromTheData() {
        assertThat(ENGINE.vocabulary().therapies()).containsExactlyInAnyOrder("DIABETIC_WOUND", "CHRONIC_FATIGUE", "POST_COVID");
        assertThat(ENGINE.vocabulary().linesOfBusiness()).containsExactly("COMMERCIAL");
        assertThat(ENGINE.vocabulary().answers()).containsOnlyKeys("indication");
    }

    @Test
    void aCoveredCategoryIsApproved() {
        Determination determination = decide("2025-05-01", RequestItem.ofTherapy("DIABETIC_WOUND"));
        assertThat(determination.status()).isEqualTo(Status.APPROVED);
        assertThat(determination.items().get(0).outcome()).isEqualTo(Outcome.COVERED);
        assertThat(governedBy(determination, 0)).containsExactly("HBO-1");
        assertThat(determination.memberNotice()).isNull();
        assertThat(determination.policy().version()).isEqualTo(LocalDate.parse("2024-01-01"));
    }

    @Test
    void freeTextUsesThePolicysOwnSynonyms() {
        Determination determination = decide("2025-05-01", RequestItem.ofDescription("HBOT for Diabetic Foot Ulcers, Wagner grade 3"));
        assertThat(determination.items().get(0).outcome()).isEqualTo(Outcome.COVERED);
        assertThat(determination.items().get(0).category()).isEqualTo("DIABETIC_WOUND");
    }

    @Test
    void coveredAndInvestigationalTogetherArePartlyApprovedWithTheNoticeOfThisPlan() {
        Determination determination = decide("2025-05-01", RequestItem.ofTherapy("DIABETIC_WOUND"),
                RequestItem.ofDescription("chronic fatigue"));
        assertThat(determination.status()).isEqualTo(Status.PARTIALLY_APPROVED);
        assertThat(determination.items().get(1).outcome()).isEqualTo(Outcome.NOT_COVERED);
        assertThat(determination.memberNotice().appealWindowDays()).isEqualTo(180);
        assertThat(determination.memberNotice().appealRights()).isEqualTo("Appeal within 180 days.");
        assertThat(determination.memberNotice().whoMayAppeal()).containsExactly("MEMBER", "TREATING_PROVIDER");
    }

    @Test
    void itsCodesAskItsQuestionAndItsAnswersDecide() {
        Determination asked = decide("2025-05-01", RequestItem.ofCode(CodeSystem.CPT, "99183"));
        assertThat(asked.status()).isEqualTo(Status.PENDED);
        assertThat(asked.items().get(0).questions().get(0).id()).isEqualTo("indication");

        var answered = RequestItem.ofCode(CodeSystem.CPT, "99183").withAnswers(Map.of("indication", "CHRONIC_FATIGUE"));
        assertThat(decide("2025-05-01", answered).items().get(0).outcome()).isEqualTo(Outcome.NOT_COVERED);
        var other = RequestItem.ofCode(CodeSystem.HCPCS, "G0277").withAnswers(Map.of("indication", "OTHER"));
        assertThat(decide("2025-05-01", other).items().get(0).explanation()).contains("other indications");
    }

    @Test
    void itsOtherwiseRuleIsItsOwn() {
        var item = decide("2025-05-01", RequestItem.ofDescription("migraine")).items().get(0);
        assertThat(item.outcome()).isEqualTo(Outcome.NOT_COVERED);
        assertThat(item.governedBy().stream().map(GovernedBy::id)).containsExactly("HBO-1");
    }

    @Test
    void itsProductsAndTheirApprovalDates() {
        assertThat(governedBy(decide("2025-07-01", RequestItem.ofCode(CodeSystem.HCPCS, "E0446")), 0)).containsExactly("DME-7");
        // Before the device's approval date it is not an approved product: the policy's otherwise rule decides.
        var before = decide("2025-05-01", RequestItem.ofProduct("Oxysure")).items().get(0);
        assertThat(before.outcome()).isEqualTo(Outcome.NOT_COVERED);
    }

    @Test
    void itsDeletedCodesAndItsClock() {
        var deleted = decide("2025-05-01", RequestItem.ofCode(CodeSystem.HCPCS, "C1300"));
        assertThat(deleted.items().get(0).outcome()).isEqualTo(Outcome.INVALID_CODE);
        assertThat(deleted.items().get(0).explanation()).contains("HCPCS G0277");
        assertThat(deleted.decisionDueBy()).isEqualTo(Instant.parse("2026-12-12T10:00:00Z"));
        assertThat(decide("2025-05-01", Urgency.EXPEDITED, RequestItem.ofTherapy("DIABETIC_WOUND")).decisionDueBy())
                .isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
    }

    @Test
    void theVersionInEffectOnTheDateOfServiceDecides() {
        var newer = decide("2026-03-01", RequestItem.ofDescription("long COVID fatigue"));
        assertThat(newer.policy().version()).isEqualTo(LocalDate.parse("2026-01-01"));
        assertThat(newer.items().get(0).category()).isEqualTo("POST_COVID");

        var older = decide("2025-12-31", RequestItem.ofDescription("long COVID fatigue"));
        assertThat(older.policy().version()).isEqualTo(LocalDate.parse("2024-01-01"));
        assertThat(older.items().get(0).category()).as("the 2024 version has no such category").isNull();
        assertThat(older.policy().reviewOverdue()).as("a superseded version's review is not overdue").isFalse();
        assertThat(newer.policy().reviewOverdue()).isFalse();

        var later = CoverageEngines.create(LIBRARY, Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC));
        var overdue = later.decide(new CoverageRequest(null, RequestKind.CLAIM, "COMMERCIAL", LocalDate.parse("2026-03-01"), null,
                null, null, null, List.of(RequestItem.ofTherapy("DIABETIC_WOUND"))));
        assertThat(overdue.policy().reviewOverdue()).isTrue();
        assertThat(overdue.warnings()).contains("Policy review overdue: next review was due 2026-11.");
    }

    @Test
    void aLineOfBusinessItDoesNotGovernIsUndecidable() {
        assertThatThrownBy(() -> ENGINE.decide(new CoverageRequest(null, RequestKind.CLAIM, "MEDICARE_ADVANTAGE",
                LocalDate.parse("2026-03-01"), null, null, null, null, List.of(RequestItem.ofTherapy("DIABETIC_WOUND")))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(422);
                    assertThat(e.errors().get(0).message()).contains("COMMERCIAL");
                });
        assertThatThrownBy(() -> decide("2023-12-31", RequestItem.ofTherapy("DIABETIC_WOUND")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(422));
    }
}
