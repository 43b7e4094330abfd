package org.medpolicy.core.request;

/**
 * The member; carried for channels that store it (a case must notify the member by name), never
 * used to decide; the decision log keeps the id only as a keyed hash.
 */
public record Member(String id, String name, String state) {
    @Override
    public String toString() {
        return "Member[id=<redacted>, name=<redacted>, state=" + state + "]";
    }
}
