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

    /**
     * The fields of {@code line}, or null when a quote is not closed. Plain fields are cut out as
     * substrings (one allocation each); only quoted fields are rebuilt character by character.
     */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>(12);
        int n = line.length();
        int start = 0;
        while (true) {
            int first = start;
            while (first < n && line.charAt(first) == ' ') {
                first++;
            }
            if (first < n && line.charAt(first) == '"') {
                StringBuilder field = new StringBuilder(64);
                int i = first + 1;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
                if (!closed) {
                    return null;
                }
                fields.add(field.toString());
                int comma = line.indexOf(',', i);
                if (comma < 0) {
                    return fields;
                }
                start = comma + 1;
            } else {
                int comma = line.indexOf(',', start);
                fields.add((comma < 0 ? line.substring(start) : line.substring(start, comma)).strip());
                if (comma < 0) {
                    return fields;
                }
                start = comma + 1;
            }
        }
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
