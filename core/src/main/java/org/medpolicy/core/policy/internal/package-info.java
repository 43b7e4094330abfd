/**
 * How policy files are read and checked: YAML parsing, JSON Schema validation, binding to the
 * records of {@code org.medpolicy.core.policy}, and the consistency checks no schema can express
 * (references between sections, quotes found in the source document, phrases that mean two
 * things). Not API: use {@link org.medpolicy.core.policy.PolicyLoader}.
 */
package org.medpolicy.core.policy.internal;
