package org.medpolicy.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;

/**
 * Seals what the decision log must keep but nobody with only a copy of the database may read: in
 * a logged request, the member's name and every item's free-text description (left in place as
 * {@code null}, so an opened request is byte for byte the one sealed); a channel's sent
 * document (a PAS response Bundle carries the patient's name and birth date) whole. AES-256-GCM
 * with a key kept outside the database ({@code --phi-key-file}); the determination id is the
 * associated data, so a sealed value moved to another row does not open.
 *
 * <p>A sealed request keeps everything else in clear (codes, dates, diagnoses as codes, the hashed
 * member id): an auditor can still read what was asked with SQL. Its sealed part is one field,
 * {@code _sealed}, holding {@code mp1.<key id>.<base64url(nonce | ciphertext | tag)>}; a sealed sent
 * document is {@code {"_sealed": "mp1…"}}. Records written before sealing have no {@code _sealed}
 * and are read as they are.
 *
 * <p>Thread-safe: a {@link Cipher} and a DRBG per thread (getting a cipher costs more than sealing
 * a kilobyte, and one shared {@link SecureRandom} is a lock every request thread would queue on, as
 * {@code TimeOrderedIds} found). Nonces are 96 random bits, so a key can seal 2^32 values before
 * the chance of a repeated nonce becomes non-negligible (about 60 years at 200,000 a day).
 */
public final class PhiSeal {

    static final String FIELD = "_sealed";
    private static final String FORMAT = "mp1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String keyId;
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(PhiSeal::newRandom);
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(PhiSeal::newCipher);

    public PhiSeal(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the PHI key must be 32 bytes (AES-256), not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
    }

    /** The first 8 bytes of the key's SHA-256, in hex: names the key in every sealed value without revealing it. */
    public String keyId() {
        return keyId;
    }

    /** The logged request {@code request} (already redacted) with its PHI moved into {@code _sealed}. */
    public Utf8Json sealRequest(Utf8Json request, String determinationId) {
        JsonNode tree = parse(request);
        if (!tree.isObject()) {
            return request;
        }
        ObjectNode clear = (ObjectNode) tree.deepCopy();
        ObjectNode secret = ContractJson.mapper().createObjectNode();
        JsonNode member = clear.get("member");
        if (member instanceof ObjectNode memberObject && memberObject.hasNonNull("name")) {
            secret.putObject("member").set("name", memberObject.get("name"));
            memberObject.putNull("name");   // kept in place, so the request opens to the same bytes
        }
        JsonNode items = clear.get("items");
        if (items instanceof ArrayNode array) {
            ObjectNode descriptions = ContractJson.mapper().createObjectNode();
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i) instanceof ObjectNode item && item.hasNonNull("description")) {
                    descriptions.set(Integer.toString(i), item.get("description"));
                    item.putNull("description");
                }
            }
            if (!descriptions.isEmpty()) {
                secret.set("items", descriptions);
            }
        }
        if (secret.isEmpty()) {
            return request;
        }
        clear.put(FIELD, seal(ContractJson.writeUtf8(secret).toByteArray(), determinationId + "|request"));
        return ContractJson.writeUtf8(clear);
    }

    /** The logged request as it was before {@link #sealRequest}; a request with nothing sealed is returned as it is. */
    public Utf8Json openRequest(Utf8Json stored, String determinationId) {
        JsonNode tree = parse(stored);
        if (!tree.isObject() || !tree.has(FIELD)) {
            return stored;
        }
        ObjectNode request = (ObjectNode) tree.deepCopy();
        JsonNode secret = parse(Utf8Json.ofBytes(open(request.remove(FIELD).asText(), determinationId + "|request")));
        if (secret.path("member").has("name") && request.get("member") instanceof ObjectNode member) {
            member.set("name", secret.path("member").get("name"));
        }
        secret.path("items").properties().forEach(entry -> {
            if (request.path("items").get(Integer.parseInt(entry.getKey())) instanceof ObjectNode item) {
                item.set("description", entry.getValue());
            }
        });
        return ContractJson.writeUtf8(request);
    }

    /** {@code sent} sealed whole, as {@code {"_sealed": "mp1…"}}. */
    public Utf8Json sealDocument(Utf8Json sent, String determinationId) {
        ObjectNode sealed = ContractJson.mapper().createObjectNode();
        sealed.put(FIELD, seal(sent.toByteArray(), determinationId + "|sent"));
        return ContractJson.writeUtf8(sealed);
    }

    /** The document {@link #sealDocument} sealed, byte for byte; one stored before sealing is returned as it is. */
    public Utf8Json openDocument(Utf8Json stored, String determinationId) {
        if (!stored.text().startsWith("{\"" + FIELD + "\"")) {
            return stored;
        }
        return Utf8Json.ofBytes(open(parse(stored).get(FIELD).asText(), determinationId + "|sent"));
    }

    private String seal(byte[] plain, String associated) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.get().nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return FORMAT + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    private byte[] open(String sealed, String associated) {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(FORMAT)) {
            throw new SealException("a sealed value in the decision log is not in the " + FORMAT + " format");
        }
        if (!parts[1].equals(keyId)) {
            throw new SealException("a record of the decision log was sealed with PHI key " + parts[1] + "; this server has key "
                    + keyId + " (--phi-key-file names the key)");
        }
        byte[] in = Base64.getUrlDecoder().decode(parts[2]);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SealException("a sealed value of the decision log does not open: it was altered or moved from another record");
        }
    }

    private static JsonNode parse(Utf8Json json) {
        try {
            return ContractJson.mapper().readTree(json.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("a logged document is not JSON", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed value that cannot be opened: another key, or altered. */
    public static final class SealException extends RuntimeException {
        SealException(String message) {
            super(message);
        }
    }
}
