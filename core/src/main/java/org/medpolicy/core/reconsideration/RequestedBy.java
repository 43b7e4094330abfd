package org.medpolicy.core.reconsideration;

/** Who asked for the reconsideration; which of them may ask is the Medicare rules' {@code whoMayRequest}. */
public enum RequestedBy {
    MEMBER,
    REPRESENTATIVE,
    PHYSICIAN
}
