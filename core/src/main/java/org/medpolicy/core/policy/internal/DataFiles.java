package org.medpolicy.core.policy.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.medpolicy.core.policy.PolicyProblem;

/**
 * Reads one data file: YAML to a tree, the tree against the JSON Schema its {@code schema} field
 * names, the tree into its record. Each step adds {@link PolicyProblem}s instead of throwing, so
 * one run reports everything wrong with a file. Thread-safe: the mappers and compiled schemas are
 * shared and immutable.
 */
public final class DataFiles {

    /** The schema files for each {@code schema:} value a data file may declare. */
    private static final Map<String, String> SCHEMAS = Map.of(
            "medpolicy.policy/1", "policy.schema.json",
            "medpolicy.products/1", "products.schema.json",
            "medpolicy.codes/1", "codes.schema.json",
            "medpolicy.medicare-rules/1", "medicare-rules.schema.json");

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper BINDER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final JsonSchemaFactory SCHEMA_FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://medpolicy.org/schema/", "classpath:schema/")));

    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

    private DataFiles() {
    }

    /** The YAML tree of {@code file}, or empty with a problem added. */
    public static Optional<JsonNode> readTree(Path file, String name, List<PolicyProblem> problems) {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            if (tree == null || !tree.isObject()) {
                problems.add(new PolicyProblem(name, "", "the file is empty or not a YAML mapping"));
                return Optional.empty();
            }
            return Optional.of(tree);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            problems.add(new PolicyProblem(name, where, "not valid YAML: " + e.getOriginalMessage()));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new PolicyProblem(name, "", "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** Checks {@code tree} against the schema its {@code schema} field names, which must be {@code expected}. */
    public static boolean conformsToSchema(JsonNode tree, String expected, String name, List<PolicyProblem> problems) {
        String declared = tree.path("schema").asText("");
        if (!declared.equals(expected)) {
            problems.add(new PolicyProblem(name, "$.schema",
                    "must be '" + expected + "' for this file, found '" + declared + "'"));
            return false;
        }
        JsonSchema schema = COMPILED.computeIfAbsent(expected, key -> SCHEMA_FACTORY.getSchema(
                SchemaLocation.of("https://medpolicy.org/schema/" + SCHEMAS.get(key))));
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(tree));
        messages.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        for (ValidationMessage message : messages) {
            String path = message.getInstanceLocation().toString();
            String text = message.getMessage();
            if (text.startsWith(path + ": ")) {
                text = text.substring(path.length() + 2);
            }
            problems.add(new PolicyProblem(name, path, text));
        }
        return messages.isEmpty();
    }

    /** The record the tree describes; the tree has passed its schema, so a failure here is reported, not thrown. */
    public static <T> Optional<T> bind(JsonNode tree, Class<T> type, String name, List<PolicyProblem> problems) {
        try {
            return Optional.of(BINDER.treeToValue(tree, type));
        } catch (JsonProcessingException | IllegalArgumentException | java.time.DateTimeException e) {
            String message = e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
            problems.add(new PolicyProblem(name, "", "cannot be read as " + type.getSimpleName() + ": " + message));
            return Optional.empty();
        }
    }
}
