package org.medpolicy.security;

import java.util.regex.Pattern;

/**
 * The implementation-guide versions a client is answered in when its calls do not say which they
 * follow: {@code crd} for an EHR's CDS Hooks calls, {@code dtr} for questionnaire packages. Each is
 * major.minor (optionally .patch), or null for the latest medpolicy serves. Which versions are
 * served is the FHIR channels' business; this only keeps what an administrator registered. Immutable.
 */
public record GuideVersions(String crd, String dtr) {

    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]*\\.[0-9]+(\\.[0-9]+)?");

    public static GuideVersions latest() {
        return new GuideVersions(null, null);
    }

    public GuideVersions {
        for (String version : new String[] {crd, dtr}) {
            if (version != null && !VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("a guide version is major.minor (2.0, 2.2), not " + version);
            }
        }
    }

    public GuideVersions withCrd(String version) {
        return new GuideVersions(version, dtr);
    }

    public GuideVersions withDtr(String version) {
        return new GuideVersions(crd, version);
    }

    /** How a listing shows them: empty when both are the latest. */
    public String describe() {
        return ((crd == null ? "" : "CRD " + crd) + (crd != null && dtr != null ? ", " : "") + (dtr == null ? "" : "DTR " + dtr));
    }
}
