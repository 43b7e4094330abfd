/**
 * The application layer: the use cases every channel shares. {@link org.medpolicy.core.application.DeterminationService}
 * is the one way a channel (JSON API, CDS Hooks, PAS, cases, DTR answers, the workbench) turns a
 * checked request into a determination: it decides once, records the determination in the decision
 * log, durably, and only then hands it back to be sent. The policy-data use cases sit beside it:
 * {@link org.medpolicy.core.application.PublishedPolicies} (serve the latest published set, switch
 * without a restart), {@link org.medpolicy.core.application.DeterminationReplay} (decide a logged
 * determination again with its own data) and {@link org.medpolicy.core.application.PolicyImpact}
 * (what a candidate would change, on the log and on claims). No HTTP, database or FHIR here:
 * channels translate, the engine decides, the store's implementations keep.
 */
package org.medpolicy.core.application;
