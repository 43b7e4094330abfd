package org.medpolicy.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;

/**
 * A logged request, sealed and opened, is the request it was, byte for byte; and no text a client
 * puts where the allow-list does not reach is left in the stored form. Requests are generated as a
 * mix of the contract's fields and a client's own, at every level, with field names that need JSON
 * Pointer escaping, nulls, nested lists and a client's own {@code _sealed}.
 */
class SealedRequestProperties {

    static final PhiSeal SEAL = new PhiSeal("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    /** What every secret value is made of: text that occurs nowhere in a field name or a kept value. */
    static final String MARK = "Zq";

    @Property(tries = 400)
    void aSealedRequestOpensToItsOwnBytesAndKeepsNoSecretInClear(@ForAll("requests") ObjectNode request) {
        Utf8Json logged = ContractJson.writeUtf8(request);
        Utf8Json sealed = SEAL.sealRequest(logged, "d-p");
        assertThat(SEAL.openRequest(sealed, "d-p").text()).isEqualTo(logged.text());
        String sealedPart = sealed.text().replaceAll("\"_sealed\":\"mp1\\.[^\"]*\"", "");
        assertThat(sealedPart).doesNotContain(MARK);
    }

    @Provide
    Arbitrary<ObjectNode> requests() {
        Arbitrary<JsonNode> secret = secret();
        Arbitrary<ObjectNode> code = fields(List.of("system", "value"), Arbitraries.of("CPT", "36511"), secret);
        Arbitrary<ObjectNode> item = Combinators.combine(code, Arbitraries.of("CAR_T", "GENE_THERAPY"), secret, secret, secret)
                .as((c, therapy, description, product, note) -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    node.set("code", c);
                    node.put("therapy", therapy);
                    node.set("description", description);
                    node.set("product", product);
                    node.putArray("diagnoses").add("C43.9");
                    node.put("units", 1);
                    node.set(MARK + "/note~" + note.size(), note);
                    return node;
                });
        Arbitrary<ObjectNode> member = fields(List.of("id", "state"), Arbitraries.of("hmac-sha256:ab", "OR"), secret);
        Arbitrary<ObjectNode> requester = fields(List.of("role", "id"), Arbitraries.of("TREATING_PROVIDER"), secret);
        return Combinators.combine(item.list().ofMinSize(1).ofMaxSize(3), member, requester, secret, Arbitraries.integers().between(0, 3))
                .as((items, m, r, extra, position) -> {
                    ObjectNode root = JsonNodeFactory.instance.objectNode();
                    if (position == 0) {
                        root.set("_sealed", extra);
                    }
                    root.put("kind", "PRE_SERVICE");
                    root.set("member", m);
                    if (position == 1) {
                        root.set(MARK + " name", extra);
                    }
                    root.set("requester", r);
                    ArrayNode list = root.putArray("items");
                    items.forEach(list::add);
                    if (position == 2) {
                        root.putNull(MARK + "~1");
                    }
                    return root;
                });
    }

    /** An object of the allowed {@code names} (values from {@code kept}) with a client's field at a random place. */
    private static Arbitrary<ObjectNode> fields(List<String> names, Arbitrary<String> kept, Arbitrary<JsonNode> secret) {
        return Combinators.combine(kept.list().ofSize(names.size()), secret, Arbitraries.integers().between(0, names.size()))
                .as((values, extra, at) -> {
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    for (int i = 0; i <= names.size(); i++) {
                        if (i == at) {
                            node.set(MARK + "." + i, extra);
                        }
                        if (i < names.size()) {
                            node.put(names.get(i), values.get(i));
                        }
                    }
                    return node;
                });
    }

    /** A value a client might put anywhere: text, a number, null, a list or an object, holding the mark. */
    private static Arbitrary<JsonNode> secret() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(8).map(s -> json.textNode(MARK + s)),
                Arbitraries.just(json.textNode(MARK + " / ~0 \"quoted\"")),
                Arbitraries.just(json.arrayNode().add(MARK).add(json.arrayNode().add(MARK + "2"))),
                Arbitraries.just((JsonNode) json.objectNode().put("mrn", MARK + "9")));
    }
}
