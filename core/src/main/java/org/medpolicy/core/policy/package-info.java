/**
 * Medical policies as data. The records here are the file formats under {@code policies/} (the
 * JSON Schemas in {@code schema/} on the classpath describe the same shapes for authors and are
 * enforced at load); {@link org.medpolicy.core.policy.PolicyLoader} reads, checks and assembles
 * them into a {@link org.medpolicy.core.policy.PolicyLibrary}. Nothing here decides anything: the
 * engine interprets these values.
 */
package org.medpolicy.core.policy;
