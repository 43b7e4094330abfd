package org.medpolicy.core.cases;

/** What a workbench user may do. A user may hold several roles. */
public enum Role {
    /** Receives requests: creates cases, records information received, withdraws, sends notices. */
    INTAKE,
    /** Utilization-management reviewer: requests information, extends, decides favourably or overrides with a rationale. */
    REVIEWER,
    /** Physician (medical director): everything a reviewer does, and the only role that signs adverse decisions. */
    PHYSICIAN,
    /** Administers users; reads everything; decides nothing. */
    ADMIN
}
