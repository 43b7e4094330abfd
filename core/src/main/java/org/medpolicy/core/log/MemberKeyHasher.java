package org.medpolicy.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces member ids with a keyed hash (HMAC-SHA-256) before anything is stored, so the log can
 * tell one member's determinations from another's without holding who the member is, and a
 * dictionary of known ids is useless without the key. Thread-safe: each thread keeps its own
 * {@link Mac} (looking one up costs more than the hash itself, and this runs on every request).
 */
public final class MemberKeyHasher {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public MemberKeyHasher(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the member hash key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** {@code hmac-sha256:<hex>} of the member id, or null for null. */
    public String hash(String memberId) {
        if (memberId == null) {
            return null;
        }
        return "hmac-sha256:" + HexFormat.of().formatHex(macs.get().doFinal(memberId.getBytes(StandardCharsets.UTF_8)));
    }

    /** A copy of the request tree with {@code member.id} replaced by its hash. */
    public JsonNode redact(JsonNode request) {
        if (request == null || !request.isObject()) {
            return request;
        }
        JsonNode member = request.get("member");
        if (member == null || !member.isObject() || !member.hasNonNull("id")) {
            return request;
        }
        ObjectNode copy = request.deepCopy();
        ((ObjectNode) copy.get("member")).put("id", hash(member.get("id").asText()));
        return copy;
    }
}
