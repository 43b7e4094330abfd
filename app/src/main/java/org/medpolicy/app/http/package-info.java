/**
 * The HTTP server (Javalin): the JSON API over the decision contract, CDS Hooks / Da Vinci CRD, the
 * FHIR endpoints (DTR questionnaires and libraries, PAS submit / inquire / subscriptions), the case
 * API and the reviewer workbench (server-rendered HTML), SMART Backend Services tokens, the access
 * audit, and operations (health, metrics, OpenAPI). Every route declares who may call it
 * ({@link org.medpolicy.app.http.Access}); the {@link org.medpolicy.app.http.Gatekeeper} enforces and
 * audits it. Handlers translate HTTP to the core and back; every determination is committed to the
 * decision log before its response is sent.
 */
package org.medpolicy.app.http;
