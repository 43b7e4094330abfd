package org.medpolicy.core.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON document as the UTF-8 bytes it is sent and stored as. Immutable: the bytes are copied in
 * and out.
 *
 * <p>Why bytes rather than a {@code String}: a determination is written once and then sent to the
 * caller and appended to the decision log. As a {@code String} it was encoded to UTF-8 twice, and
 * for responses holding a character outside Latin-1 (the curly quotes of a product's label, say)
 * Java's slow per-character encoder ran on the log's single writer thread: over a third of that
 * thread's JFR samples under load. Jackson writes UTF-8 directly; the bytes then go to the socket
 * and the database unchanged.
 */
public final class Utf8Json {

    private final byte[] bytes;

    private Utf8Json(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The document {@code json}, encoded once. */
    public static Utf8Json of(String json) {
        return new Utf8Json(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A document from its UTF-8 bytes (copied). */
    public static Utf8Json ofBytes(byte[] utf8) {
        return new Utf8Json(utf8.clone());
    }

    /** Takes {@code utf8} without copying; only for arrays nothing else holds (a serializer's fresh output). */
    static Utf8Json adopt(byte[] utf8) {
        return new Utf8Json(utf8);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    public int size() {
        return bytes.length;
    }

    /** The document as text (decoded on each call). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Utf8Json json && Arrays.equals(bytes, json.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return text();
    }
}
