package org.medpolicy.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medpolicy.core.json.ContractJson;

/**
 * What changed between two sets of policy data: every rule, code, product, question, citation and
 * date, each change with the path that names it ({@code products[kymriah].approved},
 * {@code policy[ma-…@2025-07-01].categories.CAR_T.governedBy}).
 *
 * <p>How: both sides are turned into the same JSON shape the files have, then compared
 * structurally. Lists whose entries carry an identity (a product's {@code id}, a code's
 * {@code code}, a shared name's {@code name}, a dated rule's {@code from}) are matched by it, so
 * inserting a product reports one addition, not fifty-two shifted rows; lists of plain values
 * (synonyms, governing authorities) are compared as sets where order does not decide and in order
 * where it does ({@code governedBy}, {@code descriptionPrecedence}). Policy versions are matched
 * by {@code id@version}; comparing one version with another of the same policy matches them by id.
 *
 * <p>Stateless; the result is immutable.
 */
public final class PolicyDiff {

    /** What a change is about, for grouping and counting. */
    public enum Section { RULES, CODES, PRODUCTS, QUESTIONS, CITATIONS, DATES }

    public enum Kind { ADDED, REMOVED, CHANGED }

    /** One change: {@code before} is null when added, {@code after} null when removed. */
    public record Change(Section section, Kind kind, String path, JsonNode before, JsonNode after) {
    }

    /** Identity fields of list entries, first found wins. */
    private static final List<String> IDENTITIES = List.of("id", "code", "name", "from", "level", "authority");
    /** Lists whose order carries meaning: compared in order even when their entries are plain values. */
    private static final Set<String> ORDERED = Set.of("governedBy", "descriptionPrecedence", "default");

    private final List<Change> changes;

    private PolicyDiff(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** Every policy version and every reference file of {@code before} against {@code after}. */
    public static PolicyDiff of(PolicyLibrary before, PolicyLibrary after) {
        List<Change> changes = new ArrayList<>();
        Map<String, PolicyDocument> old = byVersion(before);
        Map<String, PolicyDocument> now = byVersion(after);
        Set<String> keys = new LinkedHashSet<>(old.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            compare("policy[" + key + "]", tree(old.get(key)), tree(now.get(key)), null, changes);
        }
        reference(before, after, changes);
        return new PolicyDiff(changes);
    }

    /** One policy version against another (usually two versions of one policy), with each one's reference data. */
    public static PolicyDiff of(PolicyLibrary beforeLibrary, PolicyDocument before, PolicyLibrary afterLibrary, PolicyDocument after) {
        List<Change> changes = new ArrayList<>();
        String key = before.id().equals(after.id()) ? before.id() : before.id() + " → " + after.id();
        compare("policy[" + key + "]", tree(before), tree(after), null, changes);
        reference(beforeLibrary, afterLibrary, changes);
        return new PolicyDiff(changes);
    }

    public List<Change> changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** How many changes each section has, every section listed. */
    public Map<Section, Integer> counts() {
        Map<Section, Integer> counts = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            counts.put(section, 0);
        }
        changes.forEach(change -> counts.merge(change.section(), 1, Integer::sum));
        return counts;
    }

    /** The changes as text a policy author reads: grouped by section, one line a change. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        if (changes.isEmpty()) {
            return "No changes.\n";
        }
        for (Section section : Section.values()) {
            List<Change> of = changes.stream().filter(change -> change.section() == section).toList();
            if (of.isEmpty()) {
                continue;
            }
            text.append(title(section)).append(" (").append(of.size()).append(")\n");
            for (Change change : of) {
                text.append(switch (change.kind()) {
                    case ADDED -> "  + " + change.path() + ": " + shown(change.after());
                    case REMOVED -> "  - " + change.path() + ": " + shown(change.before());
                    case CHANGED -> "  ~ " + change.path() + ": " + shown(change.before()) + " → " + shown(change.after());
                }).append('\n');
            }
        }
        StringBuilder summary = new StringBuilder();
        counts().forEach((section, count) -> summary.append(summary.length() == 0 ? "" : ", ").append(count).append(' ')
                .append(section.name().toLowerCase(java.util.Locale.ROOT)));
        return text.append(changes.size()).append(" change(s): ").append(summary).append('\n').toString();
    }

    /** The changes as JSON: {@code counts} by section and {@code changes} with section, kind, path, before, after. */
    public ObjectNode toJson() {
        ObjectNode json = ContractJson.mapper().createObjectNode();
        ObjectNode counts = json.putObject("counts");
        counts().forEach((section, count) -> counts.put(section.name().toLowerCase(java.util.Locale.ROOT), count));
        ArrayNode list = json.putArray("changes");
        for (Change change : changes) {
            ObjectNode row = list.addObject();
            row.put("section", change.section().name().toLowerCase(java.util.Locale.ROOT));
            row.put("kind", change.kind().name().toLowerCase(java.util.Locale.ROOT));
            row.put("path", change.path());
            row.set("before", change.before());
            row.set("after", change.after());
        }
        return json;
    }

    private static void reference(PolicyLibrary before, PolicyLibrary after, List<Change> changes) {
        compare("", tree(before.products()), tree(after.products()), null, changes);
        compare("", tree(before.codes()), tree(after.codes()), "referenceCodes", changes);
        compare("medicareRules", tree(before.medicareRules()), tree(after.medicareRules()), null, changes);
    }

    private static Map<String, PolicyDocument> byVersion(PolicyLibrary library) {
        Map<String, PolicyDocument> documents = new LinkedHashMap<>();
        library.policies().forEach(loaded -> documents.put(loaded.document().id() + "@" + loaded.document().version(),
                loaded.document()));
        return documents;
    }

    private static JsonNode tree(Object value) {
        if (value == null) {
            return null;
        }
        JsonNode tree = ContractJson.mapper().valueToTree(value);
        if (tree instanceof ObjectNode object) {
            object.remove("schema");
            object.remove("source");
        }
        return pruned(tree);
    }

    /**
     * Without null fields and empty lists: the files leave them out, and the loader reads a missing
     * list as empty, so neither is a change.
     */
    private static JsonNode pruned(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> empty = new ArrayList<>();
            object.fields().forEachRemaining(field -> {
                JsonNode value = pruned(field.getValue());
                object.set(field.getKey(), value);
                if (value.isNull() || value.isArray() && value.isEmpty()) {
                    empty.add(field.getKey());
                }
            });
            object.remove(empty);
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, pruned(array.get(i)));
            }
        }
        return node;
    }

    private static void compare(String path, JsonNode before, JsonNode after, String rename, List<Change> changes) {
        if (before == null && after == null || before != null && before.equals(after)) {
            return;
        }
        if (before == null || before.isNull()) {
            changes.add(new Change(section(path), Kind.ADDED, path, null, after));
        } else if (after == null || after.isNull()) {
            changes.add(new Change(section(path), Kind.REMOVED, path, before, null));
        } else if (before.isObject() && after.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                String name = path.isEmpty() && rename != null && field.equals("codes") ? rename : field;
                compare(path.isEmpty() ? name : path + "." + name, before.get(field), after.get(field), null, changes);
            }
        } else if (before.isArray() && after.isArray()) {
            compareLists(path, before, after, changes);
        } else {
            changes.add(new Change(section(path), Kind.CHANGED, path, before, after));
        }
    }

    private static void compareLists(String path, JsonNode before, JsonNode after, List<Change> changes) {
        String identity = identity(before, after);
        String last = path.substring(path.lastIndexOf('.') + 1);
        if (identity != null) {
            Map<String, JsonNode> old = keyed(before, identity);
            Map<String, JsonNode> now = keyed(after, identity);
            Set<String> keys = new LinkedHashSet<>(old.keySet());
            keys.addAll(now.keySet());
            for (String key : keys) {
                compare(path + "[" + key + "]", old.get(key), now.get(key), null, changes);
            }
        } else if (scalars(before) && scalars(after) && !ORDERED.contains(last)) {
            Set<JsonNode> old = new LinkedHashSet<>();
            before.forEach(old::add);
            Set<JsonNode> now = new LinkedHashSet<>();
            after.forEach(now::add);
            now.stream().filter(value -> !old.contains(value)).forEach(value -> changes.add(new Change(section(path), Kind.ADDED, path, null, value)));
            old.stream().filter(value -> !now.contains(value)).forEach(value -> changes.add(new Change(section(path), Kind.REMOVED, path, value, null)));
        } else if (scalars(before) && scalars(after) || before.size() != after.size()) {
            changes.add(new Change(section(path), Kind.CHANGED, path, before, after));
        } else {
            for (int i = 0; i < before.size(); i++) {
                compare(path + "[" + i + "]", before.get(i), after.get(i), null, changes);
            }
        }
    }

    /** The identity field every entry on both sides has, unique on each side; null when there is none. */
    private static String identity(JsonNode before, JsonNode after) {
        for (String field : IDENTITIES) {
            if (unique(before, field) && unique(after, field) && (before.size() > 0 || after.size() > 0)) {
                return field;
            }
        }
        return null;
    }

    private static boolean unique(JsonNode list, String field) {
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode entry : list) {
            if (!entry.isObject() || !entry.hasNonNull(field) || !entry.get(field).isValueNode() || !seen.add(entry.get(field).asText())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, JsonNode> keyed(JsonNode list, String field) {
        Map<String, JsonNode> keyed = new LinkedHashMap<>();
        for (Iterator<JsonNode> entries = list.elements(); entries.hasNext(); ) {
            JsonNode entry = entries.next();
            keyed.put(entry.get(field).asText(), entry);
        }
        return keyed;
    }

    private static boolean scalars(JsonNode list) {
        for (JsonNode entry : list) {
            if (!entry.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    /** Where a path belongs: citations wherever they are, then by the top-level part it is under. */
    private static Section section(String path) {
        if (path.contains(".citations") || path.contains(".citation") || path.contains(".citationSets")
                || path.startsWith("policy[") && path.contains("].source")) {
            return Section.CITATIONS;
        }
        String top = path.startsWith("policy[") ? after(path, "].") : path;
        if (top.startsWith("dates") || top.equals("version") || top.startsWith("decisionTimeframes")
                || top.startsWith("reconsiderationWindows") || top.startsWith("reconsiderations") || top.startsWith("medicareRules")) {
            return Section.DATES;
        }
        if (top.startsWith("codes") || top.startsWith("referenceCodes") || top.startsWith("invalidCode")) {
            return Section.CODES;
        }
        if (top.startsWith("products") || top.startsWith("sharedNames")) {
            return Section.PRODUCTS;
        }
        if (top.startsWith("questions") || top.startsWith("askPhrases")) {
            return Section.QUESTIONS;
        }
        return Section.RULES;
    }

    private static String after(String path, String marker) {
        int at = path.indexOf(marker);
        return at < 0 ? "" : path.substring(at + marker.length());
    }

    private static String title(Section section) {
        return switch (section) {
            case RULES -> "Rules";
            case CODES -> "Codes";
            case PRODUCTS -> "Products";
            case QUESTIONS -> "Questions";
            case CITATIONS -> "Citations";
            case DATES -> "Dates and versions";
        };
    }

    private static String shown(JsonNode value) {
        if (value == null) {
            return "(none)";
        }
        String text = value.isTextual() ? value.asText() : value.toString();
        return text.length() > 160 ? text.substring(0, 157) + "…" : text;
    }
}
