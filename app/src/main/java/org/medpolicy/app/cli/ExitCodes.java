package org.medpolicy.app.cli;

/** The exit codes of {@code medpolicy}, as the decision contract fixes them for {@code decide}. */
final class ExitCodes {
    /** A determination was made (whatever its outcome), or the command did what was asked. */
    static final int OK = 0;
    /** An internal fault: never the caller's input. */
    static final int FAULT = 1;
    /** Bad input: a problem document lists every error. */
    static final int BAD_INPUT = 2;
    /** Well formed but undecidable: line of business not governed, no version in effect. */
    static final int UNDECIDABLE = 3;

    private ExitCodes() {
    }
}
