package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FHIR data one hook call has to work with: what it prefetched, and, for what it did not, what
 * can be read from the EHR. Every read that failed is remembered with its reason, so an answer that
 * could not be given says why. Reads are made at most once per URL. For one call, on one thread.
 */
final class HookData {

    /** At most this many reads per call: a hook must answer in seconds, and a call naming many orders cannot fan out. */
    static final int MAX_READS = 8;

    private final Map<String, JsonNode> prefetch;
    private final EhrFhir ehr;
    private final Map<String, JsonNode> fetched = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    HookData(Map<String, JsonNode> prefetch, EhrFhir ehr) {
        this.prefetch = prefetch;
        this.ehr = ehr;
    }

    /** The prefetch under {@code key} when the EHR sent it (not null), else what {@code relativeUrl} reads; null when neither. */
    JsonNode prefetchedOrRead(String key, String relativeUrl) {
        JsonNode sent = prefetch.get(key);
        if (sent != null && !sent.isNull()) {
            return sent;
        }
        return read(relativeUrl);
    }

    /**
     * The resource {@code reference} ({@code Type/id}) names: found in any prefetched resource or
     * Bundle, else read from the EHR; null when neither has it.
     */
    JsonNode resource(String reference) {
        int slash = reference.indexOf('/');
        String type = reference.substring(0, slash);
        String id = reference.substring(slash + 1);
        for (JsonNode sent : prefetch.values()) {
            JsonNode found = find(sent, type, id);
            if (found != null) {
                return found;
            }
        }
        JsonNode read = read(reference);
        JsonNode found = read == null ? null : find(read, type, id);
        if (read != null && found == null) {
            failures.add(reference + " was read but the EHR answered with another resource");
        }
        return found;
    }

    /** Why reads failed, in order (empty when none did). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private JsonNode read(String relativeUrl) {
        if (fetched.containsKey(relativeUrl)) {
            return fetched.get(relativeUrl);
        }
        JsonNode read;
        if (fetched.size() >= MAX_READS) {
            failures.add(relativeUrl + ": not read, this call already read " + MAX_READS + " resources from the EHR");
            return null;
        }
        try {
            read = ehr.read(relativeUrl);
        } catch (EhrFhir.Unavailable e) {
            failures.add(relativeUrl + ": " + e.getMessage());
            read = null;
        }
        fetched.put(relativeUrl, read);
        return read;
    }

    private static JsonNode find(JsonNode node, String type, String id) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (type.equals(node.path("resourceType").asText()) && id.equals(node.path("id").asText())) {
            return node;
        }
        if ("Bundle".equals(node.path("resourceType").asText())) {
            for (JsonNode entry : node.path("entry")) {
                JsonNode found = find(entry.path("resource"), type, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
