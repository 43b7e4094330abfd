package org.medpolicy.app.http;

import org.medpolicy.app.http.api.PolicyViews;
import org.medpolicy.app.http.workbench.Templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;

/**
 * A policy's review status as /v1/policies/{id} and the workbench policy page show it: the next
 * review, overdue since when, and what changed since the version published before the newest.
 */
class PolicyReviewTest {

    static final PolicyLibrary MADE_UP = PolicyLoader.load(Path.of("..", "core", "src", "test", "resources", "made-up-policies"));

    static JsonNode view(PolicyLibrary library, String id, String now) {
        var views = new PolicyViews(library, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
        return ContractJson.mapper().valueToTree(views.one(id).orElseThrow());
    }

    @Test
    void theNewestVersionShowsWhatChangedSinceTheOneBefore() {
        JsonNode review = view(MADE_UP, "hyperbaric-oxygen", "2026-06-01T12:00:00Z").get("review");
        assertThat(review.get("version").asText()).isEqualTo("2026-01-01");
        assertThat(review.get("nextReview").asText()).isEqualTo("2026-11");
        assertThat(review.get("overdue").asBoolean()).isFalse();
        assertThat(review.get("overdueSince").isNull()).isTrue();
        JsonNode changes = review.get("changesSincePrevious");
        assertThat(changes.get("from").asText()).isEqualTo("2024-01-01");
        assertThat(changes.at("/counts/rules").asInt()).isEqualTo(2);
        assertThat(changes.get("changes")).anySatisfy(change ->
                assertThat(change.get("path").asText()).isEqualTo("policy[hyperbaric-oxygen].categories.POST_COVID"));

        String page = Templates.render("workbench/policy.jte", java.util.Map.of("policy",
                view(MADE_UP, "hyperbaric-oxygen", "2026-12-02T12:00:00Z")));
        assertThat(page).contains("next review 2026-11 <span class=\"flag overdue\">REVIEW OVERDUE</span> since 2026-12-01")
                .contains("Changes from 2024-01-01 to 2026-01-01: 7")
                .contains("<code>policy[hyperbaric-oxygen].categories.POST_COVID</code>");
    }

    @Test
    void aFirstVersionSaysSo() {
        JsonNode review = view(PolicyLoader.loadBundled(), "ma-immunological-cellular-gene-therapies", "2026-12-01T12:00:00Z")
                .get("review");
        assertThat(review.get("overdue").asBoolean()).isTrue();
        assertThat(review.get("overdueSince").asText()).isEqualTo("2026-05-01");
        assertThat(review.get("changesSincePrevious").isNull()).isTrue();
    }
}
