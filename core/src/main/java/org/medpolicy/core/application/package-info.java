/**
 * The application layer: the use cases every channel shares. {@link org.medpolicy.core.application.DeterminationService}
 * is the one way a channel (JSON API, CDS Hooks, PAS, cases, DTR answers, the workbench) turns a
 * checked request into a determination: it decides once, records the determination in the decision
 * log, durably, and only then hands it back to be sent. No HTTP, database or FHIR here: channels
 * translate, the engine decides, the log's implementation stores.
 */
package org.medpolicy.core.application;
