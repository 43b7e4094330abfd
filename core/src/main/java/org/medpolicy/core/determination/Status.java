package org.medpolicy.core.determination;

import java.util.List;

/** The overall status of a determination, derived from its items as the contract's table says. */
public enum Status {
    PENDED,
    DENIED,
    PARTIALLY_APPROVED,
    APPROVED,
    NOT_APPLICABLE;

    /** The contract's table, first matching row wins. */
    public static Status of(List<ItemDetermination> items) {
        boolean infoNeeded = false;
        boolean adverse = false;
        boolean covered = false;
        for (ItemDetermination item : items) {
            Outcome outcome = item.outcome();
            infoNeeded |= outcome == Outcome.INFO_NEEDED;
            adverse |= outcome.isAdverse();
            covered |= outcome == Outcome.COVERED;
        }
        if (infoNeeded) {
            return PENDED;
        }
        if (adverse) {
            return covered ? PARTIALLY_APPROVED : DENIED;
        }
        return covered ? APPROVED : NOT_APPLICABLE;
    }
}
