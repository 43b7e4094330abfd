/**
 * The member's reconsideration: the first level of appeal of an adverse organization determination
 * (42 CFR 422.578–422.626). A {@link org.medpolicy.core.reconsideration.Reconsideration} is filed
 * against a decided case's denied items, runs on its own clock (the same
 * {@link org.medpolicy.core.policy.RegulatoryClock} rule as determinations, with the
 * reconsideration timeframes of the Medicare rules data), is decided by someone who took no part in
 * the determination, and ends reversed (effectuated on a clock), upheld or out of time (forwarded
 * to the independent review entity with a case file), or dismissed. The rules are in
 * {@link org.medpolicy.core.reconsideration.ReconsiderationService}; every number and period comes
 * from {@code policies/reference/medicare-rules.yaml}.
 */
package org.medpolicy.core.reconsideration;
