/** FHIR R4 translation (HAPI models) between Da Vinci CRD / CDS Hooks and the core. */
package org.medpolicy.fhir;
