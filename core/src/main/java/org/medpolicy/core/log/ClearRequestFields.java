package org.medpolicy.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 * <p>{@link #moveOut} takes those values out of a request, and {@link #putBack} puts them back so
 * that the opened request is the same document byte for byte: each value is kept under its JSON
 * Pointer, and the field order of every object that lost a field. Stateless and thread-safe.
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

    /** In the secret: JSON Pointer → a value taken from there. */
    static final String AT = "at";
    /** In the secret: JSON Pointer of an object → its field names in their order, for objects that lost fields. */
    private static final String ORDER = "order";

    /**
     * Takes out of {@code request} (which is changed) every value it may not keep in clear, and
     * returns them as the secret to seal: empty when nothing was taken. A field not on the list
     * (the member's name, a description, a product, anything the contract does not know) is
     * removed, its name with it (a name can say as much as a value: {@code "Ann Lee DOB 1950": 1});
     * a listed field whose value is not of its kind is left as {@code null}. The requester's id
     * stays in clear only for a treating provider (an NPI, not the member's); the id of a member or
     * representative asking is sealed.
     */
    static ObjectNode moveOut(ObjectNode request) {
        ObjectNode secret = JsonNodeFactory.instance.objectNode();
        ObjectNode at = secret.putObject(AT);
        ObjectNode order = secret.putObject(ORDER);
        moveOut(request, REQUEST, "", at, order);
        if (request.get("requester") instanceof ObjectNode requester && requester.hasNonNull("id")
                && !"TREATING_PROVIDER".equalsIgnoreCase(requester.path("role").asText("").strip())) {
            at.set("/requester/id", requester.get("id"));
            requester.putNull("id");
        }
        if (order.isEmpty()) {
            secret.remove(ORDER);
        }
        return at.isEmpty() ? JsonNodeFactory.instance.objectNode() : secret;
    }

    private static void moveOut(ObjectNode node, Shape shape, String pointer, ObjectNode at, ObjectNode order) {
        List<String> names = names(node);
        boolean removed = false;
        for (String name : names) {
            JsonNode value = node.get(name);
            String here = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            Shape allowed = shape.fields().get(name);
            if (allowed == null) {
                at.set(here, value);
                node.remove(name);
                removed = true;
            } else if (value.isNull()) {
                continue;
            } else if (!fits(value, allowed)) {
                at.set(here, value);
                node.putNull(name);
            } else if (allowed.fields() != null) {
                moveOut((ObjectNode) value, allowed, here, at, order);
            } else if (allowed.element() != null) {
                ArrayNode list = (ArrayNode) value;
                for (int i = 0; i < list.size(); i++) {
                    JsonNode element = list.get(i);
                    if (element.isObject() && allowed.element().fields() != null) {
                        moveOut((ObjectNode) element, allowed.element(), here + "/" + i, at, order);
                    } else if (!element.isNull()) {
                        at.set(here + "/" + i, element);
                        list.setNull(i);
                    }
                }
            }
        }
        if (removed) {
            ArrayNode kept = order.putArray(pointer);
            names.forEach(kept::add);
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

    /** Puts every value of {@code secret} (as {@link #moveOut} made it) back in its place in {@code request}, in its order. */
    static void putBack(ObjectNode request, JsonNode secret) {
        secret.path(AT).properties().forEach(entry -> {
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
        secret.path(ORDER).properties().forEach(entry -> {
            // A field put back was appended: rebuild the object in the order it was logged in.
            if (!((entry.getKey().isEmpty() ? request : request.at(entry.getKey())) instanceof ObjectNode object)) {
                throw new PhiSeal.SealException("a sealed object's place " + entry.getKey() + " is not in the logged request");
            }
            ObjectNode fields = object.deepCopy();
            object.removeAll();
            entry.getValue().forEach(name -> object.set(name.asText(), fields.get(name.asText())));
        });
    }

    /** The field names, copied: {@link #moveOut} replaces values while it walks them. */
    private static List<String> names(ObjectNode node) {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
