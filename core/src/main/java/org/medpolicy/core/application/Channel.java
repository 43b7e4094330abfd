package org.medpolicy.core.application;

/** How a request reached the engine; stored with each determination in the decision log. */
public enum Channel {
    /** {@code POST /v1/determinations}. */
    API,
    /** A CDS Hooks call (Da Vinci CRD). */
    CDS_HOOKS,
    /** Da Vinci PAS: {@code Claim/$submit}, its updates and cancellations. */
    PAS,
    /** An organization-determination case filed or given information over the case API. */
    CASES,
    /** DTR: a QuestionnaireResponse posted to a case. */
    DTR,
    /** The reviewer workbench (filing, answers). */
    WORKBENCH
}
