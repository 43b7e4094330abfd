/**
 * The HTTP server (Javalin): the JSON API over the decision contract, CDS Hooks / Da Vinci CRD, and
 * operations (health, metrics, OpenAPI). Handlers translate HTTP to the core and back; every
 * determination is committed to the decision log before its response is sent.
 */
package org.medpolicy.app.http;
