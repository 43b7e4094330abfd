package org.medpolicy.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":\"ascii\"}", "{\"s\":\"§ 2.1 é\"}", "{\"q\":\"Kymriah® “quoted” ™ ✓\"}", "{\"e\":\"\uD83D\uDE00\"}"})
    void keepsTheDocumentExactly(String json) throws Exception {
        Utf8Json document = Utf8Json.of(json);
        assertThat(document.text()).isEqualTo(json);
        assertThat(document.toByteArray()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(document.size()).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(document.toByteArray());
        assertThat(Utf8Json.ofBytes(document.toByteArray())).isEqualTo(document).hasSameHashCodeAs(document);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void isImmutable(boolean throughFactory) {
        byte[] given = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Utf8Json document = throughFactory ? Utf8Json.ofBytes(given) : Utf8Json.of("{\"a\":1}");
        given[2] = 'b';
        document.toByteArray()[2] = 'c';
        assertThat(document.text()).isEqualTo("{\"a\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "“curly” § ®"})
    void contractWriterGivesTheSameDocumentAsTheStringWriter(String text) {
        Object document = Map.of("explanation", text, "items", List.of(1, 2));
        assertThat(ContractJson.writeUtf8(document).text()).isEqualTo(ContractJson.write(document));
    }
}
