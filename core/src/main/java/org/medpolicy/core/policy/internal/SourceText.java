package org.medpolicy.core.policy.internal;

import java.util.regex.Pattern;

/**
 * Finds a quote in a policy's source document the way a reader would: ignoring markup (HTML tags,
 * Markdown emphasis, links and escapes) and differences of white space, but not of words or
 * punctuation. Stateless and thread-safe.
 */
public final class SourceText {

    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private SourceText() {
    }

    /** True if {@code quote} appears in {@code document}, both read as plain text. */
    public static boolean contains(String document, String quote) {
        return plain(document).contains(plain(quote));
    }

    /** The text without markup, white space collapsed. */
    public static String plain(String text) {
        String withoutTags = TAG.matcher(text).replaceAll(" ");
        String withoutLinks = LINK.matcher(withoutTags).replaceAll("$1");
        String withoutMarks = withoutLinks.replace("*", "").replace("\\", "");
        return SPACE.matcher(withoutMarks).replaceAll(" ").trim();
    }
}
