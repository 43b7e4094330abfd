/**
 * The FHIR endpoints: DTR (questionnaires, packages, next questions, value sets, libraries), PAS
 * (submit, update, cancel, inquire) and its subscriptions with the notifier that tells subscribers
 * of decisions. Bad input is a 400 OperationOutcome listing every problem.
 */
package org.medpolicy.app.http.fhir;
