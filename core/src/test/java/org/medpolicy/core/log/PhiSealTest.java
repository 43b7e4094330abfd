package org.medpolicy.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.json.Utf8Json;

class PhiSealTest {

    static final PhiSeal SEAL = new PhiSeal("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final Utf8Json REQUEST = Utf8Json.of("{\"kind\":\"PRE_SERVICE\",\"member\":{\"id\":\"hmac-sha256:ab\",\"name\":\"Ann Lee\","
            + "\"state\":\"OR\"},\"items\":[{\"code\":{\"system\":\"CPT\",\"value\":\"36511\"},\"description\":\"Ann's TIL\"},"
            + "{\"therapy\":\"CAR_T\"},{\"description\":\"second text\"}]}");

    @Test
    void aRequestsNameAndFreeTextAreSealedAndComeBackInPlace() {
        Utf8Json sealed = SEAL.sealRequest(REQUEST, "d-1");
        assertThat(sealed.text()).doesNotContain("Ann").doesNotContain("second text").contains("36511").contains("\"state\":\"OR\"")
                .contains("\"_sealed\":\"mp1." + SEAL.keyId() + ".");
        assertThat(SEAL.openRequest(sealed, "d-1").text()).isEqualTo(REQUEST.text());
        assertThat(SEAL.sealRequest(REQUEST, "d-1").text()).as("a fresh nonce each time").isNotEqualTo(sealed.text());
    }

    /**
     * The contract ignores fields it does not know, so a client can send PHI in any of them; only the
     * allow-list stays in clear. Each row: a request, a value that must not be left in the stored
     * request, and a value that must stay in clear.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            birth date beside the name  | {"kind":"CLAIM","member":{"id":"h","birthDate":"1950-02-03","state":"OR"},"items":[{"therapy":"CAR_T"}]} | 1950-02-03 | "state":"OR"
            a requester's name          | {"kind":"CLAIM","requester":{"role":"TREATING_PROVIDER","id":"NPI-1","name":"Ann Lee"},"items":[{"therapy":"CAR_T"}]} | Ann Lee | "id":"NPI-1"
            a member's own id as requester | {"kind":"CLAIM","requester":{"role":"MEMBER","id":"Ann-Lee-1950"},"items":[{"therapy":"CAR_T"}]} | Ann-Lee | "role":"MEMBER"
            a field's name              | {"kind":"CLAIM","member":{"Ann Lee DOB 1950":1,"id":"h"},"items":[{"therapy":"CAR_T"}]} | Ann Lee | "id":"h"
            an unknown field set to null | {"kind":"CLAIM","Ann Lee":null,"items":[{"therapy":"CAR_T"}]} | Ann Lee | "kind":"CLAIM"
            a null seal from the client | {"kind":"CLAIM","_sealed":null,"items":[{"therapy":"CAR_T"}]} | "_sealed":null | "kind":"CLAIM"
            a top-level note            | {"kind":"CLAIM","notes":{"text":"Ann Lee called"},"items":[{"therapy":"CAR_T"}]} | Ann Lee | "therapy":"CAR_T"
            a product named with text   | {"kind":"CLAIM","items":[{"product":"Kymriah for Ann Lee","diagnoses":["C83.3"]}]} | Ann Lee | "diagnoses":["C83.3"]
            a note inside a code        | {"kind":"CLAIM","items":[{"code":{"system":"CPT","value":"36511","note":"Ann Lee"}}]} | Ann Lee | "value":"36511"
            a known field of the wrong kind | {"kind":"CLAIM","member":{"id":{"mrn":"Ann Lee"}},"items":[{"therapy":"CAR_T"}]} | Ann Lee | "kind":"CLAIM"
            a nested list in diagnoses  | {"kind":"CLAIM","items":[{"therapy":"CAR_T","diagnoses":[["Ann Lee"]]}]} | Ann Lee | "therapy":"CAR_T"
            a field named like a path   | {"kind":"CLAIM","a/b~c":"Ann Lee","items":[{"therapy":"CAR_T"}]} | Ann Lee | "kind":"CLAIM"
            a seal forged by the client | {"kind":"CLAIM","_sealed":"mp1.forged.Ann Lee","items":[{"therapy":"CAR_T"}]} | Ann Lee | "kind":"CLAIM"
            """)
    void onlyTheAllowListStaysInClearAndEverythingElseComesBackInPlace(String why, String request, String secret, String clear) {
        Utf8Json sealed = SEAL.sealRequest(Utf8Json.of(request), "d-8");
        assertThat(sealed.text()).doesNotContain(secret).contains(clear).contains("\"_sealed\":\"mp1." + SEAL.keyId() + ".");
        assertThat(SEAL.openRequest(sealed, "d-8").text()).isEqualTo(request);
    }

    @Test
    void aRequestSealedByTheEarlierVersionStillOpens() {
        // The earlier version sealed only the name and the descriptions, as {"member":{"name":…},"items":{"0":…}}.
        String secret = "{\"member\":{\"name\":\"Ann Lee\"},\"items\":{\"0\":\"Ann's TIL\",\"2\":\"second text\"}}";
        String clear = REQUEST.text().replace("\"Ann Lee\"", "null").replace("\"Ann's TIL\"", "null").replace("\"second text\"", "null");
        Utf8Json stored = Utf8Json.of(clear.substring(0, clear.length() - 1) + ",\"_sealed\":\"" + SEAL.sealText(secret, "d-9|request") + "\"}");
        assertThat(SEAL.openRequest(stored, "d-9").text()).isEqualTo(REQUEST.text());
    }

    @Test
    void aRequestWithNothingToSealAndRecordsFromBeforeSealingPassAsTheyAre() {
        Utf8Json plain = Utf8Json.of("{\"kind\":\"CLAIM\",\"items\":[{\"code\":{\"system\":\"HCPCS\",\"value\":\"Q2041\"}}]}");
        assertThat(SEAL.sealRequest(plain, "d-2").text()).isEqualTo(plain.text());
        assertThat(SEAL.openRequest(REQUEST, "d-2").text()).as("a record logged before sealing").isEqualTo(REQUEST.text());
        Utf8Json bundle = Utf8Json.of("{\"resourceType\":\"Bundle\"}");
        assertThat(SEAL.openDocument(bundle, "d-2")).isEqualTo(bundle);
    }

    @Test
    void aDocumentIsSealedWholeAndOpensByteForByte() {
        Utf8Json sent = Utf8Json.of("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"1950-01-02\"}}]}");
        Utf8Json sealed = SEAL.sealDocument(sent, "d-3");
        assertThat(sealed.text()).doesNotContain("1950").startsWith("{\"_sealed\":\"mp1.");
        assertThat(SEAL.openDocument(sealed, "d-3")).isEqualTo(sent);
    }

    @Test
    void aSealedValueMovedToAnotherRecordOrAlteredOrUnderAnotherKeyDoesNotOpen() {
        Utf8Json sealed = SEAL.sealRequest(REQUEST, "d-4");
        assertThatThrownBy(() -> SEAL.openRequest(sealed, "d-5")).isInstanceOf(PhiSeal.SealException.class)
                .hasMessageContaining("altered or moved");
        String text = sealed.text();
        int at = text.indexOf("mp1.") + 30;
        String altered = text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1);
        assertThatThrownBy(() -> SEAL.openRequest(Utf8Json.of(altered), "d-4")).isInstanceOf(PhiSeal.SealException.class);
        PhiSeal other = new PhiSeal("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> other.openRequest(sealed, "d-4")).isInstanceOf(PhiSeal.SealException.class)
                .hasMessageContaining("sealed with PHI key " + SEAL.keyId()).hasMessageContaining("this server has key " + other.keyId());
        assertThatThrownBy(() -> new PhiSeal(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void aColumnValueIsSealedWholeBoundToItsPlaceAndValuesFromBeforeSealingReadAsTheyAre() {
        String sealed = SEAL.sealText("Ann Lee asked by phone", "review_case|c-1|decision_rationale");
        assertThat(sealed).startsWith("mp1." + SEAL.keyId() + ".").doesNotContain("Ann");
        assertThat(SEAL.openText(sealed, "review_case|c-1|decision_rationale")).isEqualTo("Ann Lee asked by phone");
        assertThatThrownBy(() -> SEAL.openText(sealed, "review_case|c-2|decision_rationale")).isInstanceOf(PhiSeal.SealException.class);
        assertThatThrownBy(() -> SEAL.openText(sealed, "review_case|c-1|extension_reason")).isInstanceOf(PhiSeal.SealException.class);
        assertThat(SEAL.openText("kept before sealing", "x")).isEqualTo("kept before sealing");
        assertThat(SEAL.sealText(null, "x")).isNull();
        assertThat(SEAL.openText(null, "x")).isNull();

        byte[] pdf = "%PDF-1.7 Ann Lee".getBytes(StandardCharsets.US_ASCII);
        byte[] sealedPdf = SEAL.sealBytes(pdf, "case_notice|c-1|pdf");
        assertThat(new String(sealedPdf, StandardCharsets.ISO_8859_1)).startsWith("mp1." + SEAL.keyId() + ".").doesNotContain("Ann");
        assertThat(SEAL.openBytes(sealedPdf, "case_notice|c-1|pdf")).isEqualTo(pdf);
        assertThat(SEAL.openBytes(pdf, "case_notice|c-1|pdf")).as("a notice stored before sealing").isEqualTo(pdf);
        assertThatThrownBy(() -> SEAL.openBytes(sealedPdf, "case_notice|c-9|pdf")).isInstanceOf(PhiSeal.SealException.class);
        byte[] truncated = java.util.Arrays.copyOf(sealedPdf, 30);
        assertThatThrownBy(() -> SEAL.openBytes(truncated, "case_notice|c-1|pdf")).isInstanceOf(PhiSeal.SealException.class);
    }

    @Test
    void aRotatedKeySealsWhatIsNewAndTheRetiredKeysStillOpenWhatTheySealed() {
        PhiSeal rotated = new PhiSeal("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                java.util.List.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
        assertThat(rotated.keyIds()).containsExactly(rotated.keyId(), SEAL.keyId());
        String old = SEAL.sealText("under the old key", "t|1|c");
        Utf8Json oldRequest = SEAL.sealRequest(REQUEST, "d-6");
        assertThat(rotated.openText(old, "t|1|c")).isEqualTo("under the old key");
        assertThat(rotated.openRequest(oldRequest, "d-6").text()).isEqualTo(REQUEST.text());
        assertThat(rotated.sealText("new", "t|2|c")).startsWith("mp1." + rotated.keyId() + ".");
        assertThatThrownBy(() -> SEAL.openText(rotated.sealText("new", "t|2|c"), "t|2|c")).isInstanceOf(PhiSeal.SealException.class)
                .hasMessageContaining("sealed with PHI key " + rotated.keyId());
    }
}
