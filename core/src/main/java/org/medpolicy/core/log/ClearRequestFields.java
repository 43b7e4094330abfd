package org.medpolicy.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which fields of a logged contract request may stay in clear: an allow-list, so that everything
 * else is sealed. A list of what to seal would leave in clear whatever a client adds that the
 * contract does not know (the contract ignores unknown fields, so {@code member.birthDate},
 * {@code requester.name} or a {@code notes} field would pass the reader and reach the
 * append-only log). What stays: the codes, dates, kinds, therapies, diagnosis codes, units and
 * answer codes the reader has already checked against their formats or vocabularies, the hashed
 * member id and state, and the requester's role and id (a provider's NPI, not the member's). What
 * is sealed: the member's name, every item's description and product (a product is any text up
 * to 200 characters, and only the recognised name reaches the response), and every field the
 * contract does not name, at any depth.
 *
 * <p>{@link #moveOut} takes those values out of a request, leaving {@code null} in their place so
 * that {@link #putBack} gives the same document byte for byte; each value is kept under its JSON
 * Pointer. Stateless and thread-safe.
 */
final class ClearRequestFields {

    /**
     * A node's allowed shape: one value ({@link #VALUE}), a flat list or object of values
     * ({@link #CODES}: diagnoses, answers), an object of named fields, or a list of one shape.
     */
    private record Shape(Map<String, Shape> fields, Shape element, boolean flat) {
        static final Shape VALUE = new Shape(null, null, false);
        static final Shape CODES = new Shape(null, null, true);

        static Shape object(Map<String, Shape> fields) {
            return new Shape(fields, null, false);
        }

        static Shape listOf(Shape element) {
            return new Shape(null, element, false);
        }
    }

    private static final Shape REQUEST = Shape.object(Map.of(
            "requestId", Shape.VALUE, "kind", Shape.VALUE, "lineOfBusiness", Shape.VALUE, "dateOfService", Shape.VALUE,
            "receivedAt", Shape.VALUE, "urgency", Shape.VALUE,
            "requester", Shape.object(Map.of("role", Shape.VALUE, "id", Shape.VALUE)),
            "member", Shape.object(Map.of("id", Shape.VALUE, "state", Shape.VALUE)),
            "items", Shape.listOf(Shape.object(Map.of(
                    "code", Shape.object(Map.of("system", Shape.VALUE, "value", Shape.VALUE)),
                    "therapy", Shape.VALUE, "diagnoses", Shape.CODES, "units", Shape.VALUE, "answers", Shape.CODES)))));

    private ClearRequestFields() {
    }

    /**
     * Moves every value {@code request} may not keep in clear into {@code secret} (JSON Pointer →
     * value), leaving {@code null} in its place. {@code request} is changed; null values stay as they are.
     */
    static void moveOut(ObjectNode request, ObjectNode secret) {
        moveOut(request, REQUEST, "", secret);
    }

    private static void moveOut(ObjectNode node, Shape shape, String pointer, ObjectNode secret) {
        for (String name : names(node)) {
            JsonNode value = node.get(name);
            String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            Shape allowed = shape.fields().get(name);
            if (value.isNull()) {
                continue;
            }
            if (allowed == null || !fits(value, allowed)) {
                secret.set(at, value);
                node.putNull(name);
            } else if (allowed.fields() != null) {
                moveOut((ObjectNode) value, allowed, at, secret);
            } else if (allowed.element() != null) {
                ArrayNode list = (ArrayNode) value;
                for (int i = 0; i < list.size(); i++) {
                    JsonNode element = list.get(i);
                    if (element.isObject() && allowed.element().fields() != null) {
                        moveOut((ObjectNode) element, allowed.element(), at + "/" + i, secret);
                    } else if (!element.isNull()) {
                        secret.set(at + "/" + i, element);
                        list.setNull(i);
                    }
                }
            }
        }
    }

    /** A value of the kind its shape expects; anything else is sealed whole (the reader refuses such requests, but the log does not rely on it). */
    private static boolean fits(JsonNode value, Shape shape) {
        if (shape.fields() != null) {
            return value.isObject();
        }
        if (shape.element() != null) {
            return value.isArray();
        }
        return value.isValueNode() || shape.flat() && value.isContainerNode() && isFlat(value);
    }

    private static boolean isFlat(JsonNode container) {
        for (JsonNode each : container) {
            if (!each.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    /** Puts every value of {@code secret} (as {@link #moveOut} made it) back in its place in {@code request}. */
    static void putBack(ObjectNode request, JsonNode secret) {
        secret.properties().forEach(entry -> {
            String pointer = entry.getKey();
            int last = pointer.lastIndexOf('/');
            JsonNode parent = last == 0 ? request : request.at(pointer.substring(0, last));
            String name = pointer.substring(last + 1).replace("~1", "/").replace("~0", "~");
            if (parent instanceof ObjectNode object) {
                object.set(name, entry.getValue());
            } else if (parent instanceof ArrayNode list) {
                list.set(Integer.parseInt(name), entry.getValue());
            } else {
                throw new PhiSeal.SealException("a sealed value's place " + pointer + " is not in the logged request");
            }
        });
    }

    /** The field names, copied: {@link #moveOut} replaces values while it walks them. */
    private static List<String> names(ObjectNode node) {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
