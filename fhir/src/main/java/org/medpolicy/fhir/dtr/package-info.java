/**
 * Da Vinci DTR, the questionnaire side: the engine's questions (policy data) served as FHIR
 * Questionnaires with their answer ValueSets and a pre-population Library (CQL and ELM), packaged by
 * {@code $questionnaire-package}, asked one at a time by {@code $next-question}. What the engine needs
 * to know to decide an INFO_NEEDED item becomes a form an EHR can render; the answer codes are those
 * the engine takes back in {@code items[i].answers} ({@link org.medpolicy.fhir.dtr.DtrAnswers}).
 */
package org.medpolicy.fhir.dtr;
