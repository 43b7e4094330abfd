package org.medpolicy.core.determination;

/** What the policy says of one item. */
public enum Outcome {
    /** The policy governs the item and its criteria are met. */
    COVERED,
    /** The policy governs the item and it is not covered; see {@link Reason}. */
    NOT_COVERED,
    /** The code is not valid for Medicare on the date of service. */
    INVALID_CODE,
    /** This policy does not govern the item; {@code governedBy} says what does. */
    OUT_OF_SCOPE,
    /** The item may fall under the policy, but the request does not say enough. */
    INFO_NEEDED;

    /** True for the outcomes that are adverse to the member and need a notice and, in a case, a physician. */
    public boolean isAdverse() {
        return this == NOT_COVERED || this == INVALID_CODE;
    }
}
