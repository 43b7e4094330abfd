package org.medpolicy.screen;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one line: commas separate, double quotes enclose a field that holds commas or
 * quotes, a doubled quote inside quotes is one quote. A record must fit on one line (a claim line is
 * one record); an unterminated quote is reported, not guessed at. Stateless.
 */
final class Csv {

    private Csv() {
    }

    /** The fields of {@code line}, or null when a quote is not closed. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>(12);
        StringBuilder field = new StringBuilder(32);
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(wasQuoted ? field.toString() : field.toString().strip());
        return fields;
    }

    /** {@code value} as one CSV field: quoted when it holds a comma, quote or line break. */
    static void append(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
