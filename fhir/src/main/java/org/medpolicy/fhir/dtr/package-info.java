/**
 * Da Vinci DTR, the questionnaire side: the engine's questions (policy data) served as FHIR
 * Questionnaires, and {@code $questionnaire-package}. What the engine needs to know to decide an
 * INFO_NEEDED item becomes a form an EHR can render; the answer codes are those the engine takes
 * back in {@code items[i].answers}.
 */
package org.medpolicy.fhir.dtr;
