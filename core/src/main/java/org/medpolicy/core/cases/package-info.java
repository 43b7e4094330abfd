/**
 * Organization determinations: a pre-service request to a Medicare Advantage plan as a case with a
 * regulatory clock ({@link org.medpolicy.core.cases.CaseClock}), a state machine whose every step is
 * an append-only {@link org.medpolicy.core.cases.CaseEvent}, the engine's recommendation beside the
 * human decision, and the rule that an adverse decision exists only once a physician signs it
 * (42 CFR 422.566(d)). {@link org.medpolicy.core.cases.CaseService} applies the rules;
 * {@link org.medpolicy.core.cases.CaseRepository} is implemented by the store.
 */
package org.medpolicy.core.cases;
