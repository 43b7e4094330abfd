package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.app.cli.Main;

/**
 * One decision through every door: the command line, the JSON API and CDS Hooks give the same
 * outcome, category and governing authorities for the same services.
 */
class ParityTest {

    @TempDir
    Path folder;

    /** The three orders of cds/order-sign.json, written as a contract request. */
    static final String REQUEST = """
            {"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01",
             "requester":{"role":"TREATING_PROVIDER"},"member":{"id":"M123456"},
             "items":[{"code":{"system":"CPT","value":"96365"},"description":"IV infusion, initial, up to 1 hour","diagnoses":["C43.9"]},
                      {"code":{"system":"HCPCS","value":"Q2042"},"product":"Kymriah","description":"Kymriah; Tisagenlecleucel"},
                      {"description":"Autologous tumor-infiltrating lymphocyte therapy"}]}""";

    private static List<String> summary(JsonNode determination) {
        List<String> rows = new ArrayList<>();
        for (JsonNode item : determination.get("items")) {
            List<String> governedBy = new ArrayList<>();
            item.get("governedBy").forEach(g -> governedBy.add(g.get("id").asText()));
            rows.add(item.get("outcome").asText() + " " + item.get("category").asText() + " " + governedBy);
        }
        return rows;
    }

    @Test
    void cliJsonApiAndCdsHooksAgree() throws Exception {
        Path request = folder.resolve("request.json");
        Files.writeString(request, REQUEST);
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"decide", request.toString(), "--policies", Path.of("..", "policies").toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(exit).isZero();
        List<String> cli = summary(TestServer.JSON.readTree(out.toString()));

        try (TestServer server = TestServer.h2(folder)) {
            List<String> api = summary(TestServer.json(server.post("/v1/determinations", "application/json", REQUEST)));

            JsonNode hook = TestServer.json(server.post("/cds-services/medpolicy-order-sign", "application/json",
                    CdsHooksTest.orderSign().toString()));
            String assertionId = null;
            for (JsonNode part : hook.at("/systemActions/0/resource/extension/0/extension")) {
                if (part.get("url").asText().equals("coverage-assertion-id")) {
                    assertionId = part.get("valueString").asText();
                }
            }
            List<String> cds = summary(TestServer.json(server.get("/v1/determinations/" + assertionId)));

            assertThat(cli).containsExactly(
                    "INFO_NEEDED null []",
                    "OUT_OF_SCOPE CAR_T [110.24, medication-policy-manual]",
                    "NOT_COVERED TUMOR_INFILTRATING_LYMPHOCYTES [Medicine-42]");
            assertThat(api).isEqualTo(cli);
            assertThat(cds).isEqualTo(cli);
        }
    }
}
