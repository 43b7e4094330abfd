/**
 * Medical policies as data. The records here are the file formats under {@code policies/} (the
 * JSON Schemas in {@code schema/} on the classpath describe the same shapes for authors and are
 * enforced at load); {@link org.medpolicy.core.policy.PolicyLoader} reads, checks and assembles
 * them into a {@link org.medpolicy.core.policy.PolicyLibrary}. A whole folder is one
 * {@link org.medpolicy.core.policy.PolicySet}, named by the digest of its files and kept by a
 * {@link org.medpolicy.core.policy.PolicySetStore}; {@link org.medpolicy.core.policy.PolicyDiff}
 * says what changed between two; {@link org.medpolicy.core.policy.RegulatoryClock} is the one rule
 * for decision deadlines. Nothing here decides anything: the engine interprets these values.
 */
package org.medpolicy.core.policy;
