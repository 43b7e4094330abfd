package org.medpolicy.core.reconsideration;

/** What the plan decides on reconsideration. */
public enum ReconsiderationOutcome {
    /** Every contested item is approved. */
    REVERSED,
    /** Some contested items are approved; the rest stay denied and go to the IRE. */
    PARTLY_REVERSED,
    /** The denial stands for every contested item; the case goes to the IRE. */
    UPHELD
}
