/**
 * Da Vinci PAS 2.2: reading a prior-authorization request Bundle into a contract request (and the
 * DTR answers it carries), and answering with a response Bundle whose ClaimResponse tells, item by
 * item, where the organization-determination case stands (X12 306 review actions A1 / A3 / A4).
 */
package org.medpolicy.fhir.pas;
