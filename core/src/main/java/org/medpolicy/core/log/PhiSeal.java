package org.medpolicy.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;

/**
 * Seals what medpolicy must keep but nobody with only a copy of the database may read. In the
 * decision log: in a logged request, every value not on {@link ClearRequestFields}'s allow-list (the
 * member's name, descriptions, products, any field the contract does not know, with its name; put
 * back in place and order, so an opened request is byte for byte the one sealed); a channel's sent
 * document (a PAS response Bundle carries the patient's name and birth date) whole. AES-256-GCM
 * with a key kept outside the database ({@code --phi-key-file}); the determination id is the
 * associated data, so a sealed value moved to another row does not open.
 *
 * <p>A sealed request keeps the allowed fields in clear (codes, dates, diagnoses as codes, the hashed
 * member id): an auditor can still read what was asked with SQL. Its sealed part is one field,
 * {@code _sealed}, holding {@code mp1.<key id>.<base64url(nonce | ciphertext | tag)>}; a sealed sent
 * document is {@code {"_sealed": "mp1…"}}. Records written before sealing have no {@code _sealed}
 * and are read as they are.
 *
 * <p>Elsewhere (cases, PAS submissions, reconsiderations) a column's value is sealed whole with
 * {@link #sealText} or {@link #sealBytes}, its table, row and column as the associated data; a
 * value that does not begin {@code mp1.} was stored before sealing and is read as it is.
 *
 * <p>Keys rotate: values are sealed with the first key, and open with any key of the ring (each
 * sealed value names its key's id), so a new key can take over while everything sealed under the
 * retired ones still opens.
 *
 * <p>Over 300 lines because the one format (mp1, key ring, associated data) serves three shapes of
 * value (request fields, whole documents, columns); what a request keeps in clear is
 * {@link ClearRequestFields}'s.
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

    /** The sealing key and its id; both null in a seal without keys ({@link #keyless}). */
    private final SecretKeySpec key;
    private final String keyId;
    /** Why a keyless seal cannot seal or open; null when there are keys. */
    private final String missing;
    /** Every key that opens, by id: the sealing key and the retired ones. */
    private final Map<String, SecretKeySpec> ring;
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(PhiSeal::newRandom);
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(PhiSeal::newCipher);

    public PhiSeal(byte[] key) {
        this(key, List.of());
    }

    /** Sealing with {@code key}; opening with it and with every key of {@code retired}. */
    public PhiSeal(byte[] key, List<byte[]> retired) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (byte[] each : Stream.concat(Stream.of(key), retired.stream()).toList()) {
            if (each.length != 32) {
                throw new IllegalArgumentException("a PHI key must be 32 bytes (AES-256), not " + each.length);
            }
            keys.putIfAbsent(keyId(each), new SecretKeySpec(each.clone(), "AES"));
        }
        this.keyId = keyId(key);
        this.key = keys.get(keyId);
        this.ring = Map.copyOf(keys);
        this.missing = null;
    }

    private PhiSeal(String missing) {
        this.key = null;
        this.keyId = null;
        this.ring = Map.of();
        this.missing = missing;
    }

    /**
     * A seal for a reader that has no key: values stored in clear read as they are, and sealing, or
     * opening a sealed value, fails with {@code why} (which should say where the key was looked for).
     * A reader must not invent a key: values sealed with the real one would never open under it.
     */
    public static PhiSeal keyless(String why) {
        return new PhiSeal(why);
    }

    /** The ids of every key that opens, the sealing key's first. */
    public List<String> keyIds() {
        if (keyId == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(List.of(keyId));
        ring.keySet().stream().filter(id -> !id.equals(keyId)).sorted().forEach(ids::add);
        return List.copyOf(ids);
    }

    /**
     * {@code plain} sealed as {@code mp1.<key id>.<base64url>}, bound to {@code where} (its table,
     * row and column: a value copied to another row or column does not open); null for null.
     */
    public String sealText(String plain, String where) {
        return plain == null ? null : seal(plain.getBytes(StandardCharsets.UTF_8), where);
    }

    /** The text {@link #sealText} sealed for {@code where}; a value stored before sealing, and null, as they are. */
    public String openText(String stored, String where) {
        if (stored == null || !stored.startsWith(FORMAT + ".")) {
            return stored;
        }
        return new String(open(stored, where), StandardCharsets.UTF_8);
    }

    /** {@code plain} sealed as the ASCII bytes {@code mp1.<key id>.} followed by nonce, ciphertext and tag; null for null. */
    public byte[] sealBytes(byte[] plain, String where) {
        if (plain == null) {
            return null;
        }
        byte[] body = encrypt(plain, where);
        byte[] prefix = (FORMAT + "." + keyId + ".").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array();
    }

    /** The bytes {@link #sealBytes} sealed for {@code where}; bytes stored before sealing (a PDF, a JSON document), and null, as they are. */
    public byte[] openBytes(byte[] stored, String where) {
        byte[] marker = (FORMAT + ".").getBytes(StandardCharsets.US_ASCII);
        if (stored == null || stored.length < marker.length || !Arrays.equals(stored, 0, marker.length, marker, 0, marker.length)) {
            return stored;
        }
        int second = marker.length;
        while (second < stored.length && stored[second] != '.') {
            second++;
        }
        if (second >= stored.length) {
            throw new SealException("a sealed value is not in the " + FORMAT + " format");
        }
        String id = new String(stored, marker.length, second - marker.length, StandardCharsets.US_ASCII);
        return decrypt(keyFor(id), Arrays.copyOfRange(stored, second + 1, stored.length), where);
    }

    /** The first 8 bytes of the sealing key's SHA-256, in hex: names the key in every sealed value without revealing it; null when keyless. */
    public String keyId() {
        return keyId;
    }

    /**
     * The logged request {@code request} (already redacted) with every value that may not stay in
     * clear ({@link ClearRequestFields}: names, descriptions, products, fields the contract does not
     * know) moved into {@code _sealed}.
     */
    public Utf8Json sealRequest(Utf8Json request, String determinationId) {
        JsonNode tree = parse(request);
        if (!tree.isObject()) {
            return request;
        }
        ObjectNode clear = (ObjectNode) tree;
        ObjectNode secret = ClearRequestFields.moveOut(clear);
        if (secret.isEmpty()) {
            return request;
        }
        // A client's own "_sealed" field was taken out with the other unknown fields, so the name is free for the seal.
        clear.put(FIELD, seal(ContractJson.writeUtf8(secret).toByteArray(), determinationId + "|request"));
        return ContractJson.writeUtf8(clear);
    }

    /** The logged request as it was before {@link #sealRequest}; a request with nothing sealed is returned as it is. */
    public Utf8Json openRequest(Utf8Json stored, String determinationId) {
        JsonNode tree = parse(stored);
        if (!tree.isObject() || !tree.path(FIELD).isTextual()) {
            return stored;
        }
        ObjectNode request = (ObjectNode) tree;
        JsonNode secret = parse(Utf8Json.ofBytes(open(request.get(FIELD).asText(), determinationId + "|request")));
        request.remove(FIELD);
        if (secret.has(ClearRequestFields.AT)) {
            ClearRequestFields.putBack(request, secret);
            return ContractJson.writeUtf8(request);
        }
        // Sealed by an earlier version, before the allow-list: only the member's name and the descriptions.
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
        return FORMAT + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(encrypt(plain, associated));
    }

    /** nonce | ciphertext | tag of {@code plain} under the sealing key. */
    private byte[] encrypt(byte[] plain, String associated) {
        if (key == null) {
            throw new SealException(missing);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.get().nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    private byte[] open(String sealed, String associated) {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(FORMAT)) {
            throw new SealException("a sealed value is not in the " + FORMAT + " format");
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SealException("a sealed value is not in the " + FORMAT + " format");
        }
        return decrypt(keyFor(parts[1]), in, associated);
    }

    private SecretKeySpec keyFor(String id) {
        SecretKeySpec found = ring.get(id);
        if (missing != null) {
            throw new SealException(missing + " (a value here was sealed with PHI key " + id + ")");
        }
        if (found == null) {
            throw new SealException("a record was sealed with PHI key " + id + "; this server has key"
                    + (ring.size() == 1 ? " " : "s ") + String.join(", ", keyIds()) + " (--phi-key-file names the keys)");
        }
        return found;
    }

    private byte[] decrypt(SecretKeySpec with, byte[] in, String associated) {
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealException("a sealed value is too short to be one");
        }
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SealException("the sealed value of " + associated + " does not open: it was altered or moved from another record");
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
