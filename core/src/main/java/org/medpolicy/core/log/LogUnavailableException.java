package org.medpolicy.core.log;

/** The decision log could not store or read a record; the determination must not be acknowledged. */
public class LogUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
