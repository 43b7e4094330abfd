package org.medpolicy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Question;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;

/**
 * Runs {@code decisions.yaml}: every rule of policy-semantics.md, its public examples, the clock,
 * versions, and every kind of bad input, as rows of request and expected determination.
 */
class DecisionTableTest {

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode row : TestPolicies.yamlResource("decisions.yaml")) {
            rows.add(Arguments.of(row.get("name").asText(), row));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, JsonNode row) {
        JsonNode expect = row.get("expect");
        CoverageEngine engine = row.has("clock") ? TestPolicies.engineAt(Instant.parse(row.get("clock").asText())) : TestPolicies.ENGINE;
        JsonNode request = TestPolicies.request(row.get("request"));

        if (expect.has("problem")) {
            ProblemException thrown = catchThrowableOfType(ProblemException.class,
                    () -> engine.decide(TestPolicies.read(request)));
            assertThat(thrown).as("a problem document is expected").isNotNull();
            assertThat(thrown.problem().status()).isEqualTo(expect.get("problem").asInt());
            List<String> fields = thrown.errors().stream().map(FieldError::field).toList();
            for (JsonNode field : expect.path("fields")) {
                assertThat(fields).as("fields reported, in %s", thrown.errors()).contains(field.asText());
            }
            for (JsonNode field : expect.path("notFields")) {
                assertThat(fields).doesNotContain(field.asText());
            }
            assertThat(thrown.errors()).allSatisfy(error -> assertThat(error.message()).isNotBlank());
            return;
        }

        Determination determination = engine.decide(TestPolicies.read(request));
        if (expect.has("status")) {
            assertThat(determination.status().name()).isEqualTo(expect.get("status").asText());
        }
        if (expect.has("decisionDueBy")) {
            JsonNode due = expect.get("decisionDueBy");
            assertThat(determination.decisionDueBy()).isEqualTo(due.isNull() ? null : Instant.parse(due.asText()));
        }
        if (expect.has("memberNotice")) {
            assertThat(determination.memberNotice() != null).as("memberNotice present").isEqualTo(expect.get("memberNotice").asBoolean());
        }
        if (expect.has("reviewOverdue")) {
            assertThat(determination.policy().reviewOverdue()).isEqualTo(expect.get("reviewOverdue").asBoolean());
        }
        for (JsonNode warning : expect.path("warnings")) {
            assertThat(determination.warnings()).anySatisfy(w -> assertThat(w).contains(warning.asText()));
        }
        if (expect.path("noWarnings").asBoolean()) {
            assertThat(determination.warnings()).isEmpty();
        }
        JsonNode items = expect.path("items");
        if (items.size() > 0) {
            assertThat(determination.items()).hasSize(items.size());
        }
        for (int i = 0; i < items.size(); i++) {
            checkItem(determination.items().get(i), items.get(i), i);
        }
    }

    private static void checkItem(ItemDetermination item, JsonNode expect, int index) {
        assertThat(item.index()).isEqualTo(index);
        if (expect.has("outcome")) {
            assertThat(item.outcome().name()).as("outcome").isEqualTo(expect.get("outcome").asText());
        }
        if (expect.has("reason")) {
            assertThat(item.reason() == null ? null : item.reason().name()).as("reason").isEqualTo(expect.get("reason").asText());
        }
        if (expect.has("category")) {
            JsonNode category = expect.get("category");
            assertThat(item.category()).as("category").isEqualTo(category.isNull() ? null : category.asText());
        }
        if (expect.has("product")) {
            JsonNode product = expect.get("product");
            assertThat(item.product() == null ? null : item.product().name()).as("product")
                    .isEqualTo(product.isNull() ? null : product.asText());
        }
        if (expect.has("governedBy")) {
            List<String> ids = new ArrayList<>();
            expect.get("governedBy").forEach(id -> ids.add(id.asText()));
            assertThat(item.governedBy().stream().map(GovernedBy::id).toList()).as("governedBy").isEqualTo(ids);
        }
        if (expect.has("questions")) {
            List<String> ids = new ArrayList<>();
            expect.get("questions").forEach(id -> ids.add(id.asText()));
            assertThat(item.questions().stream().map(Question::id).toList()).as("questions").isEqualTo(ids);
            assertThat(item.questions()).allSatisfy(q -> assertThat(q.answerOptions()).isNotEmpty());
        }
        if (expect.has("explanationContains")) {
            assertThat(item.explanation()).contains(expect.get("explanationContains").asText());
        }
    }
}
