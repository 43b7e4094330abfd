package org.medpolicy.core.policy;

/** A policy version as loaded: its data, the file it came from, and the text of its source document. */
public record LoadedPolicy(PolicyDocument document, String file, String sourceText) {
}
