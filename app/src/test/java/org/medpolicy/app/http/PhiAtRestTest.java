package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.fhir.Fhir;

/**
 * A copy of the database alone reveals no PHI of the decision log: member names and free text in
 * logged requests, and the documents channels sent (a PAS response carries the patient's name and
 * birth date), are sealed; everything a caller reads back through medpolicy is as it was.
 */
class PhiAtRestTest {

    static final String NAME = "Jane Q. Quillfeather";
    static final String FREE_TEXT = "Quillfeather family history: TIL therapy for metastatic melanoma";

    @TempDir
    static Path folder;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.h2(folder);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every column of the row, as the database holds it (text, or bytes read as UTF-8). */
    private static String stored(String table, String determinationId) throws Exception {
        try (Connection connection = server.database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table + " WHERE determination_id = ?")) {
            select.setString(1, determinationId);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as(table + " has " + determinationId).isTrue();
                StringBuilder everything = new StringBuilder();
                for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                    boolean binary = row.getMetaData().getColumnType(column) == java.sql.Types.VARBINARY
                            || row.getMetaData().getColumnType(column) == java.sql.Types.BINARY
                            || row.getMetaData().getColumnType(column) == java.sql.Types.LONGVARBINARY;
                    byte[] bytes = binary ? row.getBytes(column) : null;
                    everything.append(binary ? (bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8)) : row.getString(column))
                            .append('|');
                }
                return everything.toString();
            }
        }
    }

    @Test
    void aLoggedRequestKeepsItsCodesInClearAndSealsItsNameFreeTextAndEveryFieldTheContractDoesNotKnow() throws Exception {
        // Beside the contract's own PHI fields, fields it does not know (and so ignores): a client may put anything in them.
        String request = JsonApiTest.REQUEST.replace("\"member\":{\"id\":\"M123456\",\"state\":\"OR\"}",
                "\"member\":{\"id\":\"M123456\",\"name\":\"" + NAME + "\",\"birthDate\":\"1950-02-03\",\"state\":\"OR\"}")
                .replace("\"id\":\"NPI-1234567893\"}", "\"id\":\"NPI-1234567893\",\"name\":\"Dr Quillfeather\"}")
                .replace("\"kind\":\"PRE_SERVICE\"", "\"kind\":\"PRE_SERVICE\",\"notes\":\"phoned by Quillfeather\"")
                .replace("TIL therapy for metastatic melanoma", FREE_TEXT);
        assertThat(request).contains(NAME).contains(FREE_TEXT).contains("1950-02-03").contains("Dr Quillfeather").contains("phoned by");
        HttpResponse<String> decided = server.post("/v1/determinations", "application/json", request);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
        String id = TestServer.json(decided).get("determinationId").asText();

        String row = stored("determination_log", id);
        assertThat(row).doesNotContain("Quillfeather").doesNotContain("melanoma").doesNotContain("M123456").doesNotContain("1950-02-03")
                .doesNotContain("phoned").doesNotContain("\"product\":\"lifileucel\"")
                .contains("\"_sealed\":\"mp1." + TestServer.PHI_SEAL.keyId() + ".")
                .contains("36511").contains("C43.9").contains("hmac-sha256:");

        // Read back through medpolicy: replay opens the seal and decides the same request again.
        JsonNode replayed = TestServer.json(server.get("/v1/determinations/" + id + "/replay"));
        assertThat(replayed.get("identical").asBoolean()).as(replayed.toString()).isTrue();
        assertThat(server.log.find(id).orElseThrow().requestJson().text()).contains(NAME).contains(FREE_TEXT).contains("1950-02-03")
                .contains("Dr Quillfeather").contains("phoned by Quillfeather").doesNotContain("_sealed");
    }

    @Test
    void whatPasSentIsSealedWholeAndReadBackByteForByte() throws Exception {
        HttpResponse<String> submitted = server.post("/fhir/Claim/$submit", "application/fhir+json",
                IgProfileValidationTest.fixture("pas", "approval_pa_submit_request_payload.json", "phi"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        assertThat(submitted.body()).contains("SMITH").contains("1987-02-20");
        Bundle response = Fhir.parse(TestServer.json(submitted), Bundle.class, "response");
        ClaimResponse claimResponse = (ClaimResponse) response.getEntryFirstRep().getResource();
        String caseId = claimResponse.getPreAuthRef();
        String determinationId = TestServer.json(server.get("/v1/cases/" + caseId)).at("/recommendation/determinationId").asText();

        assertThat(stored("determination_sent", determinationId)).doesNotContain("SMITH").doesNotContain("1987-02-20")
                .contains("mp1.");
        HttpResponse<String> sent = server.get("/v1/determinations/" + determinationId + "/sent");
        assertThat(sent.body()).isEqualTo(submitted.body());
    }

    /**
     * The whole flow a member's PHI passes through (a case filed with their name, id and free text,
     * decided with a rationale and noticed; a PAS submission naming the patient and birth date; a
     * reconsideration filed in their words, upheld and forwarded with its IRE case file), then the
     * database file itself, read as bytes after the server closed it: none of it is there.
     */
    @Test
    void theDatabaseFileHoldsNoPhiOfCasesPasSubmissionsOrReconsiderations(@TempDir Path own) throws Exception {
        TestServer flow = TestServer.h2(own);
        String caseId;
        try {
            String intake = flow.signedIn("ines", org.medpolicy.core.cases.Role.INTAKE);
            String physician = flow.signedIn("dr.paul", org.medpolicy.core.cases.Role.PHYSICIAN);
            String appeals = flow.signedIn("dr.quinn", "Dr. Paula Quinn", "MD, hematology and oncology", org.medpolicy.core.cases.Role.PHYSICIAN);
            caseId = ReconsiderationApiTest.deniedCase(flow, intake, physician,
                    "{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\",\"description\":\"" + FREE_TEXT + "\"}");
            HttpResponse<String> filed = flow.as(intake, "POST", "/v1/cases/" + caseId + "/reconsiderations",
                    "{\"requestedBy\":\"MEMBER\",\"requesterName\":\"" + NAME + "\",\"reason\":\"" + NAME + " writes: " + FREE_TEXT + "\"}");
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
            HttpResponse<String> upheld = flow.as(appeals, "POST", TestServer.json(filed).get("href").asText() + "/decision",
                    "{\"outcome\":\"UPHELD\",\"rationale\":\"Reviewed the note from " + NAME + "'s oncologist.\"}");
            assertThat(upheld.statusCode()).as(upheld.body()).isEqualTo(200);
            assertThat(TestServer.json(upheld).get("state").asText()).isEqualTo("FORWARDED_TO_IRE");
            HttpResponse<String> submitted = flow.post("/fhir/Claim/$submit", "application/fhir+json",
                    IgProfileValidationTest.fixture("pas", "approval_pa_submit_request_payload.json", "phi-file"));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            assertThat(submitted.body()).contains("SMITH").contains("1987-02-20");

            JsonNode readBack = TestServer.json(flow.as(intake, "GET", "/v1/cases/" + caseId, null));
            assertThat(readBack.at("/request/member/name").asText()).as("read through medpolicy, as filed").isEqualTo("Pat Example");
            assertThat(readBack.at("/request/items/0/description").asText()).isEqualTo(FREE_TEXT);
        } finally {
            flow.close();
        }
        List<Path> files;
        try (var listing = Files.walk(own)) {
            files = listing.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString()).contains("db.mv.db");
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as(file.getFileName().toString()).doesNotContain("Quillfeather").doesNotContain("Pat Example")
                    .doesNotContain("M998877").doesNotContain("12345678901").doesNotContain("Meadow St").doesNotContain("SMITH").doesNotContain("1987-02-20").doesNotContain("melanoma")
                    .doesNotContain("%PDF");
        }
    }
}
