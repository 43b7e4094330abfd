/** CDS Hooks (Da Vinci CRD): discovery and the hook services, decided and recorded through the one service. */
package org.medpolicy.app.http.cdshooks;
