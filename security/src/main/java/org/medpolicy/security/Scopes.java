package org.medpolicy.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of SMART system scopes such as {@code system/determinations.write}. Both SMART v1
 * permissions ({@code read}, {@code write}, {@code *}) and v2 letters ({@code cruds}) are
 * understood: {@code read} means {@code rs}, {@code write} means {@code cud}. A resource of
 * {@code *} covers every resource. Immutable.
 */
public record Scopes(Set<String> values) {

    private static final Pattern SCOPE = Pattern.compile("system/(\\*|[A-Za-z][A-Za-z0-9_-]{0,63})\\.(read|write|\\*|c?r?u?d?s?)");

    public Scopes {
        values = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    public static Scopes none() {
        return new Scopes(Set.of());
    }

    /**
     * Parses a space-separated scope string.
     *
     * @throws IllegalArgumentException naming every scope that is not a system scope
     */
    public static Scopes parse(String text) {
        Set<String> values = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String scope : text == null ? new String[0] : text.trim().split("\\s+")) {
            if (scope.isEmpty()) {
                continue;
            }
            Matcher matcher = SCOPE.matcher(scope);
            if (!matcher.matches() || matcher.group(2).isEmpty()) {
                bad.add(scope);
            } else {
                values.add(scope);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("not a system scope (system/Resource.read|write|cruds): " + String.join(", ", bad));
        }
        return new Scopes(values);
    }

    /** True when these scopes allow what {@code required} names. */
    public boolean grants(String required) {
        Matcher wanted = SCOPE.matcher(required);
        if (!wanted.matches()) {
            throw new IllegalArgumentException("not a system scope: " + required);
        }
        String resource = wanted.group(1);
        String needed = letters(wanted.group(2));
        StringBuilder held = new StringBuilder();
        for (String scope : values) {
            Matcher granted = SCOPE.matcher(scope);
            if (granted.matches() && (granted.group(1).equals("*") || granted.group(1).equals(resource))) {
                held.append(letters(granted.group(2)));
            }
        }
        return needed.chars().allMatch(letter -> held.indexOf(String.valueOf((char) letter)) >= 0);
    }

    /**
     * True when these scopes allow {@code required} by naming its resource itself, not through a
     * {@code *} resource: for scopes that widen what a caller sees (reading every client's data),
     * which a wildcard granted for convenience must not bring in.
     */
    public boolean grantsExplicitly(String required) {
        Matcher wanted = SCOPE.matcher(required);
        if (!wanted.matches()) {
            throw new IllegalArgumentException("not a system scope: " + required);
        }
        List<String> named = values.stream().filter(scope -> {
            Matcher granted = SCOPE.matcher(scope);
            return granted.matches() && granted.group(1).equals(wanted.group(1));
        }).toList();
        return new Scopes(new LinkedHashSet<>(named)).grants(required);
    }

    /** The scopes of {@code requested} that these scopes allow: what a client may be given of what it asked for. */
    public Scopes allowed(Scopes requested) {
        List<String> kept = new ArrayList<>();
        for (String scope : requested.values) {
            if (grants(scope)) {
                kept.add(scope);
            }
        }
        return new Scopes(new LinkedHashSet<>(kept));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public static Scopes of(Collection<String> values) {
        return parse(String.join(" ", values));
    }

    /** The space-separated form used on the wire. */
    @Override
    public String toString() {
        return String.join(" ", values);
    }

    private static String letters(String permission) {
        return switch (permission) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> permission;
        };
    }
}
