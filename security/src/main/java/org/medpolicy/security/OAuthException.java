package org.medpolicy.security;

/**
 * A token request refused, as RFC 6749 section 5.2 says: an {@code error} code and a description.
 * {@code invalid_client} is 401; the others are 400.
 */
public final class OAuthException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String error;

    OAuthException(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public int status() {
        return "invalid_client".equals(error) ? 401 : 400;
    }
}
