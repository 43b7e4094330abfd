/**
 * Calls medpolicy makes out to URLs its callers name (PAS notification endpoints, EHR FHIR
 * servers), safe against server-side request forgery: global unicast addresses only unless an
 * endpoint is registered otherwise, and the address checked is the address connected to.
 */
package org.medpolicy.app.outbound;
