package org.medpolicy.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.Status;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestKind;

/**
 * Properties of the engine over generated requests: any valid request gets a determination and
 * never an exception; the same request gets the same decision; every determination keeps the
 * contract's rules; untrusted JSON yields a determination or a problem document, nothing else.
 */
class EngineProperties {

    private static final List<String> CODES = List.of("36511", "37799", "96365", "S2107", "38225", "38228", "0537T", "0540T",
            "99213", "Q2041", "Q2043", "J3399", "J3490", "J3393", "E0446", "12345", "A0001", "Z9999");
    private static final List<String> WORDS = List.of("TIL", "CIK", "CAR-T", "chimeric", "antigen", "receptor", "dendritic",
            "cell", "cells", "vaccine", "gene", "therapy", "IL-2", "aldesleukin", "reduced-intensity", "conditioning",
            "nonmyeloablative", "allogeneic", "transplant", "plasmapheresis", "adoptive", "cellular", "immunotherapy", "Kymriah",
            "Yescarta", "lifileucel", "Provenge", "Zolgensma", "for", "metastatic", "melanoma", "until", "the", "of", "T", "—", "™",
            "Barré", "日本", "∅", "", " ", "\t", "\n", "tumor-infiltrating", "lymphocytes", "TCR-engineered", "sipuleucel-T");

    @Provide
    Arbitrary<ObjectNode> validRequests() {
        Arbitrary<ObjectNode> item = Combinators.combine(
                Arbitraries.of(CODES).injectNull(0.5),
                Arbitraries.of(List.copyOf(TestPolicies.ENGINE.vocabulary().therapies())).injectNull(0.6),
                Arbitraries.of("Yescarta", "kymriah", "LIFILEUCEL", "Amtagvi", "newcel-T", "pembrolizumab", "Luxterna").injectNull(0.6),
                Arbitraries.of(WORDS).list().ofMaxSize(12).map(words -> String.join(" ", words)).injectNull(0.4)
        ).as((code, therapy, product, description) -> {
            ObjectNode node = TestPolicies.JSON.createObjectNode();
            if (code != null) {
                node.putObject("code").put("system", Character.isDigit(code.charAt(0)) ? "CPT" : "HCPCS").put("value", code);
            }
            node.put("therapy", therapy);
            node.put("product", product);
            node.put("description", description);
            if (code == null && therapy == null && product == null && (description == null || description.isBlank())) {
                node.put("therapy", "CAR_T");
            }
            return node;
        });
        return Combinators.combine(
                item.list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.of(RequestKind.class),
                Arbitraries.of("STANDARD", "EXPEDITED"),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.longs().between(0, 4L * 365 * 86_400)
        ).as((items, kind, urgency, days, seconds) -> {
            ObjectNode overrides = TestPolicies.JSON.createObjectNode();
            overrides.put("kind", kind.name());
            overrides.put("urgency", urgency);
            overrides.put("dateOfService", LocalDate.parse("2025-07-01").plusDays(days).toString());
            overrides.put("receivedAt", Instant.parse("2025-06-01T00:00:00Z").plusSeconds(seconds).toString());
            ArrayNode array = overrides.putArray("items");
            items.forEach(array::add);
            return TestPolicies.request(overrides);
        });
    }

    @Property(tries = 400)
    void everyValidRequestGetsADeterminationThatKeepsTheContract(@ForAll("validRequests") ObjectNode json) {
        var request = TestPolicies.read(json);
        Determination determination = TestPolicies.ENGINE.decide(request);

        assertThat(determination.items()).hasSize(request.items().size());
        assertThat(determination.status()).isEqualTo(Status.of(determination.items()));
        for (int i = 0; i < determination.items().size(); i++) {
            ItemDetermination item = determination.items().get(i);
            assertThat(item.index()).isEqualTo(i);
            assertThat(item.reason() != null).as("reason only for NOT_COVERED").isEqualTo(item.outcome() == Outcome.NOT_COVERED);
            assertThat(item.questions() != null && !item.questions().isEmpty())
                    .as("questions exactly for INFO_NEEDED").isEqualTo(item.outcome() == Outcome.INFO_NEEDED);
            if (item.outcome() != Outcome.COVERED && item.outcome() != Outcome.INFO_NEEDED) {
                assertThat(item.citations()).as("citations for " + item.outcome()).isNotEmpty();
            }
            if (item.outcome() == Outcome.NOT_COVERED) {
                assertThat(item.governedBy()).isNotEmpty();
            }
            assertThat(item.explanation()).isNotBlank().doesNotContain("{");
        }
        boolean preService = request.kind() == RequestKind.PRE_SERVICE;
        boolean adverse = determination.items().stream().anyMatch(i -> i.outcome().isAdverse());
        assertThat(determination.decisionDueBy() != null).isEqualTo(preService);
        assertThat(determination.memberNotice() != null).isEqualTo(preService && adverse);
        if (preService) {
            assertThat(determination.decisionDueBy()).isAfter(request.receivedAt());
            assertThat(determination.decisionDueBy()).isBeforeOrEqualTo(request.receivedAt().plusSeconds(14 * 86_400));
        }
        JsonNode written = TestPolicies.JSON.valueToTree(TestPolicies.JSON.convertValue(
                ContractJson.mapper().valueToTree(determination), Object.class));
        assertThat(written.has("determinationId")).isTrue();
        assertThat(written.get("items").get(0).has("category")).as("category is written even when null").isTrue();
    }

    @Property(tries = 200)
    void decisionsAreDeterministic(@ForAll("validRequests") ObjectNode json) {
        var request = TestPolicies.read(json);
        Determination first = TestPolicies.ENGINE.decide(request);
        Determination second = TestPolicies.engineAt(TestPolicies.NOW).decide(TestPolicies.read(json.deepCopy()));
        assertThat(second).usingRecursiveComparison().ignoringFields("determinationId").isEqualTo(first);
        assertThat(second.determinationId()).isNotEqualTo(first.determinationId());
    }

    @Provide
    Arbitrary<String> anyJsonValue() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> TestPolicies.JSON.getNodeFactory().textNode(s).toString()),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("null", "true", "[]", "{}", "[1,2]", "{\"a\":1}", "-0.5e9", "\"\"", "\"2026-02-30\"", "\"CAR_T\""));
    }

    @Provide
    Arbitrary<String> fieldPaths() {
        return Arbitraries.of("kind", "lineOfBusiness", "dateOfService", "receivedAt", "urgency", "requester", "requester.role",
                "member", "member.id", "items", "items.0", "items.0.code", "items.0.code.system", "items.0.code.value",
                "items.0.therapy", "items.0.product", "items.0.description", "items.0.diagnoses", "items.0.units",
                "items.0.answers", "requestId");
    }

    @Property(tries = 600)
    void aMangledRequestGetsADeterminationOrAProblemNeverAnything(@ForAll("validRequests") ObjectNode json,
                                                                  @ForAll("fieldPaths") String path,
                                                                  @ForAll("anyJsonValue") String value) throws Exception {
        set(json, path, TestPolicies.JSON.readTree(value));
        try {
            Determination determination = TestPolicies.ENGINE.decide(TestPolicies.READER.read(
                    json.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(determination.items()).isNotEmpty();
        } catch (ProblemException problem) {
            assertThat(problem.problem().status()).isIn(400, 422);
            assertThat(problem.errors()).isNotEmpty().allSatisfy(error -> {
                assertThat(error.field()).isNotBlank();
                assertThat(error.message()).isNotBlank();
            });
        }
    }

    @Property(tries = 500)
    void arbitraryBytesGetAProblemNeverAnException(@ForAll byte[] bytes) {
        try {
            TestPolicies.READER.read(bytes);
        } catch (ProblemException problem) {
            assertThat(problem.problem().status()).isEqualTo(400);
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.isArray() ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
            if (next == null || !next.isContainerNode()) {
                return;
            }
            node = next;
        }
        String last = parts[parts.length - 1];
        if (node.isObject()) {
            ((ObjectNode) node).set(last, value);
        } else if (node.isArray() && last.chars().allMatch(Character::isDigit) && Integer.parseInt(last) < node.size()) {
            ((ArrayNode) node).set(Integer.parseInt(last), value);
        }
    }

}
