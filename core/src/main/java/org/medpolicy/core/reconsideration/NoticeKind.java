package org.medpolicy.core.reconsideration;

/** The letters a reconsideration sends the member, each once. */
public enum NoticeKind {
    /** The plan's decision: reversed, partly reversed or upheld, with the reasons per item. */
    DECISION,
    /** The case went to the independent review entity (upheld in whole or part, or out of time). */
    FORWARDED_TO_IRE,
    /** The request was dismissed, and how to ask the IRE to review the dismissal. */
    DISMISSAL
}
