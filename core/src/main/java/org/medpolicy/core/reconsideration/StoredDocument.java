package org.medpolicy.core.reconsideration;

/**
 * A document kept with a reconsideration exactly as produced: a notice as sent, or the IRE case
 * file (its PDF and its machine-readable bundle). {@code kind} names it within the reconsideration.
 */
public record StoredDocument(String kind, String contentType, byte[] body) {

    /** The name of the notice of {@code kind}. */
    public static String notice(NoticeKind kind) {
        return "notice-" + kind.name();
    }

    public static final String CASE_FILE_PDF = "ire-case-file-pdf";
    public static final String CASE_FILE_BUNDLE = "ire-case-file-bundle";
}
