/**
 * The JSON API over the decision contract: deciding a request, reading determinations back (as
 * returned, what a channel sent, decided again), the policies, and the access audit.
 */
package org.medpolicy.app.http.api;
