/**
 * The letters a case ends with: the Notice of Denial of Medical Coverage for adverse decisions, and
 * the approval and referral letters, rendered as PDF with OpenPDF from the case, the engine's
 * determination (reasons, citations, governing authority) and the Medicare rules in effect.
 */
package org.medpolicy.app.notice;
