/**
 * A coverage request as the decision contract defines it ({@code shared/spec/decision-contract.md}),
 * and {@link org.medpolicy.core.request.RequestReader}, which turns untrusted JSON into a request or
 * into the full list of what is wrong with it.
 */
package org.medpolicy.core.request;
