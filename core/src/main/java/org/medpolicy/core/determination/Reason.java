package org.medpolicy.core.determination;

/** Why an item is NOT_COVERED. */
public enum Reason {
    /** Not reasonable and necessary because investigational (SSA §1862(a)(1)(A)). */
    INVESTIGATIONAL
}
