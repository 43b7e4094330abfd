package org.medpolicy.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestReader;

/** The packaged policies, loaded once for all tests, and helpers to build requests the way the table writes them. */
public final class TestPolicies {

    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    public static final PolicyLibrary LIBRARY = PolicyLoader.loadBundled();
    public static final CoverageEngine ENGINE = engineAt(NOW);
    public static final RequestReader READER = new RequestReader(ENGINE.vocabulary());
    public static final ObjectMapper YAML = new YAMLMapper();
    public static final ObjectMapper JSON = new ObjectMapper();

    private TestPolicies() {
    }

    public static CoverageEngine engineAt(Instant now) {
        return CoverageEngines.create(LIBRARY, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The table's defaults with {@code overrides} merged in; a null override removes the field. */
    public static ObjectNode request(JsonNode overrides) {
        ObjectNode request = JSON.createObjectNode();
        request.put("kind", "PRE_SERVICE");
        request.put("lineOfBusiness", "MEDICARE_ADVANTAGE");
        request.put("dateOfService", "2026-12-01");
        request.put("receivedAt", "2026-11-27T10:00:00Z");
        request.putObject("requester").put("role", "TREATING_PROVIDER");
        if (overrides != null) {
            overrides.properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    request.remove(field.getKey());
                } else {
                    request.set(field.getKey(), expand(field.getValue()));
                }
            });
        }
        return request;
    }

    /** Expands {repeat: s, times: n} into a long string, so the table can ask for oversized fields. */
    private static JsonNode expand(JsonNode node) {
        if (node.isObject() && node.has("repeat") && node.has("times") && node.size() == 2) {
            return JSON.getNodeFactory().textNode(node.get("repeat").asText().repeat(node.get("times").asInt()));
        }
        if (node.isContainerNode()) {
            JsonNode copy = node.deepCopy();
            if (copy.isObject()) {
                ((ObjectNode) copy).properties().forEach(field -> field.setValue(expand(field.getValue())));
            } else {
                for (int i = 0; i < copy.size(); i++) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) copy).set(i, expand(copy.get(i)));
                }
            }
            return copy;
        }
        return node;
    }

    public static CoverageRequest read(JsonNode request) {
        return READER.read(request);
    }

    public static JsonNode yamlResource(String name) {
        try (var in = TestPolicies.class.getResourceAsStream("/" + name)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
