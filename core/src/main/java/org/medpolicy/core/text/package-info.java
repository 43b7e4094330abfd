/**
 * How free text is read: one normalization shared by the policy loader (which checks that no phrase
 * means two things) and the engine (which matches phrases against requests), so the two can never
 * disagree about what a phrase is.
 */
package org.medpolicy.core.text;
