/**
 * Batch claim screening: claim lines in (CSV with a header, or NDJSON contract requests of kind
 * CLAIM; gzip either way), one result per line out, in input order. Every line is read by the same
 * {@link org.medpolicy.core.request.RequestReader} and decided by the same engine as a single
 * determination, so a screen and {@code decide} cannot disagree. {@link org.medpolicy.screen.Screener}
 * streams with flat memory over all cores; bad lines go to a rejects file and never stop the run.
 */
package org.medpolicy.screen;
