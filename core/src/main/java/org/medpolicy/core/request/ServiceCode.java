package org.medpolicy.core.request;

/** A procedure code; {@code value} is upper case, five characters, checked by the reader. Immutable. */
public record ServiceCode(CodeSystem system, String value) {
    @Override
    public String toString() {
        return system + " " + value;
    }
}
