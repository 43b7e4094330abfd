package org.medpolicy.core.reconsideration;

/** The letters a reconsideration sends the member, each once. */
public enum NoticeKind {
    /** The plan's decision: reversed, partly reversed or upheld, with the reasons per item. */
    DECISION,
    /** The case went to the independent review entity (upheld in whole or part, or out of time). */
    FORWARDED_TO_IRE,
    /** The request was dismissed, and how to ask the IRE to review the dismissal. */
    DISMISSAL;

    /** How URLs and forms name the notice: {@code decision}, {@code forwarded-to-ire}, {@code dismissal}. */
    public String pathName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The notice a URL or form names ({@link #pathName}, or the constant's own name); empty when none. */
    public static java.util.Optional<NoticeKind> fromPathName(String name) {
        for (NoticeKind kind : values()) {
            if (kind.pathName().equalsIgnoreCase(name) || kind.name().equalsIgnoreCase(name)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
