package org.medpolicy.screen;

import java.util.Locale;

/** The claim-line formats {@code screen} reads and writes. */
public enum InputFormat {
    /** Comma-separated values with a header row (RFC 4180 quoting, one record per line). */
    CSV,
    /** One JSON document per line. */
    NDJSON;

    /** The format a file name implies ({@code .csv}, {@code .ndjson}, {@code .jsonl}, with or without {@code .gz}), or null. */
    public static InputFormat ofName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - 3);
        }
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
            return NDJSON;
        }
        return null;
    }
}
