package org.medpolicy.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where two JSON documents differ, as readable lines ({@code items[0].outcome: "NOT_COVERED" →
 * "OUT_OF_SCOPE"}): objects by field, arrays by position. For comparing a determination with the
 * same request decided again. Stateless.
 */
public final class JsonDifferences {

    private JsonDifferences() {
    }

    /** Every difference between {@code before} and {@code after}, leaving out the top-level fields {@code ignored}. */
    public static List<String> between(JsonNode before, JsonNode after, Set<String> ignored) {
        List<String> differences = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(fields::add);
        after.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (!ignored.contains(field)) {
                compare(field, before.get(field), after.get(field), differences);
            }
        }
        return differences;
    }

    private static void compare(String path, JsonNode before, JsonNode after, List<String> differences) {
        if (before == null ? after == null : before.equals(after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(fields::add);
            after.fieldNames().forEachRemaining(fields::add);
            fields.forEach(field -> compare(path + "." + field, before.get(field), after.get(field), differences));
        } else if (before != null && after != null && before.isArray() && after.isArray() && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                compare(path + "[" + i + "]", before.get(i), after.get(i), differences);
            }
        } else {
            differences.add(path + ": " + shown(before) + " → " + shown(after));
        }
    }

    private static String shown(JsonNode value) {
        String text = value == null ? "(none)" : value.toString();
        return text.length() > 200 ? text.substring(0, 197) + "…" : text;
    }
}
