package org.medpolicy.core.request;

/** The member; carried for channels that store it (hashed), never used to decide and never logged in clear. */
public record Member(String id, String state) {
    @Override
    public String toString() {
        return "Member[id=<redacted>, state=" + state + "]";
    }
}
