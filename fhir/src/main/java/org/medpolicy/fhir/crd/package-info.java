/**
 * CDS Hooks 2.0 services for Da Vinci CRD 2.2: discovery, and order-sign / order-select calls
 * answered with coverage information (the {@code ext-coverage-information} extension on each draft
 * order, as an update system action) and cards. Draft orders are read with HAPI FHIR and mapped to
 * a contract request; the core engine decides; nothing here re-implements a rule.
 */
package org.medpolicy.fhir.crd;
