package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;

/** The workbench's HTTP contract, without a browser: sign-in cookies, redirects, CSRF, refusals shown on the page, escaping. */
class WorkbenchHttpTest {

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

    static HttpResponse<String> form(String path, String cookie, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return server.raw(request.build());
    }

    /** Signs in through the form; the session cookie and the page's CSRF token. */
    static String[] signIn(String username, Role role) throws Exception {
        server.signedIn(username, role);
        HttpResponse<String> signedIn = form("/workbench/sign-in", null,
                "username=" + username + "&password=" + URLEncoder.encode(TestServer.PASSWORD, StandardCharsets.UTF_8));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String cookie = setCookie.split(";", 2)[0];
        String page = server.raw(HttpRequest.newBuilder(server.uri("/workbench")).header("Cookie", cookie).build()).body();
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        return new String[]{cookie, csrf};
    }

    @Test
    void pagesNeedASignedInUser() throws Exception {
        HttpResponse<String> queue = server.raw(HttpRequest.newBuilder(server.uri("/workbench")).build());
        assertThat(queue.statusCode()).isEqualTo(303);
        assertThat(queue.headers().firstValue("Location")).contains("/workbench/sign-in");
        HttpResponse<String> page = server.raw(HttpRequest.newBuilder(server.uri("/workbench/sign-in")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("<label for=\"username\">").contains("<label for=\"password\">");
        HttpResponse<String> wrong = form("/workbench/sign-in", null, "username=nobody&password=whatever+it+is");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("role=\"alert\"");
    }

    @Test
    void oneFilingNamesSeveralServices() throws Exception {
        String[] intake = signIn("iris", Role.INTAKE);
        HttpResponse<String> filed = form("/workbench/cases", intake[0], "requesterName=Dr.+A&requesterRole=TREATING_PROVIDER"
                + "&requesterAddress=1+Way&memberId=M3&memberName=Pat&dateOfService=2026-12-15"
                + "&codeSystem=CPT&code=36511&description=leukapheresis"
                + "&product2=Kymriah"
                + "&codeSystem3=CPT&code3=96365&therapy3=CAR_T&csrf=" + intake[1]);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(303);
        String caseId = filed.headers().firstValue("Location").orElseThrow().replaceAll("\\?.*", "").replaceAll(".*/", "");
        JsonNode items = TestServer.json(server.get("/v1/cases/" + caseId)).at("/request/items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).at("/code/value").asText()).isEqualTo("36511");
        assertThat(items.get(1).get("product").asText()).isEqualTo("Kymriah");
        assertThat(items.get(2).get("therapy").asText()).isEqualTo("CAR_T");
        JsonNode recommendation = TestServer.json(server.get("/v1/cases/" + caseId)).at("/recommendation/items");
        assertThat(recommendation).hasSize(3);
        assertThat(recommendation.get(1).at("/product/name").asText()).isEqualTo("Kymriah");
    }

    @Test
    void everyCaseActionWorksFromItsForm() throws Exception {
        String[] intake = signIn("ivan", Role.INTAKE);
        String[] reviewer = signIn("rosa", Role.REVIEWER);
        HttpResponse<String> filed = form("/workbench/cases", intake[0], "requesterName=Dr.+A&requesterRole=TREATING_PROVIDER"
                + "&requesterAddress=1+Way&memberId=M2&memberName=Pat&dateOfService=2026-12-15&codeSystem=CPT&code=96365&csrf=" + intake[1]);
        String casePath = filed.headers().firstValue("Location").orElseThrow().replaceAll("\\?.*", "");
        String page = server.raw(HttpRequest.newBuilder(server.uri(casePath)).header("Cookie", intake[0]).build()).body();
        assertThat(page).contains("id=\"state\">PENDED").contains("Record the answer");

        assertThat(form(casePath + "/information", intake[0], "item=0&question=therapy&answer=TUMOR_INFILTRATING_LYMPHOCYTES&csrf="
                + intake[1]).statusCode()).isEqualTo(303);
        page = server.raw(HttpRequest.newBuilder(server.uri(casePath)).header("Cookie", reviewer[0]).build()).body();
        assertThat(page).contains("id=\"state\">RECOMMENDED").contains("NOT_COVERED");
        assertThat(server.channelsOfCaseDeterminations(casePath.replaceAll(".*/", ""))).as("filed and answered in the workbench")
                .containsExactly("WORKBENCH", "WORKBENCH");

        assertThat(form(casePath + "/extension", reviewer[0], "days=14&extensionReason=records+from+a+non-contract+provider&csrf="
                + reviewer[1]).statusCode()).isEqualTo(303);
        assertThat(form(casePath + "/information-requests", reviewer[0], "reason=the+pathology+report&csrf=" + reviewer[1]).statusCode())
                .isEqualTo(303);
        HttpResponse<String> second = form(casePath + "/extension", reviewer[0], "days=3&extensionReason=again&csrf=" + reviewer[1]);
        assertThat(second.statusCode()).isEqualTo(422);
        assertThat(second.body()).contains("only one extension");
        assertThat(form(casePath + "/withdrawal", intake[0], "withdrawReason=member+withdrew&csrf=" + intake[1]).statusCode()).isEqualTo(303);
        JsonNode history = TestServer.json(server.get("/v1/cases/" + casePath.replaceAll(".*/", ""))).get("history");
        assertThat(history).extracting(event -> event.get("action").asText())
                .containsExactly("RECEIVE", "RECOMMEND", "RECONSIDER", "EXTEND", "REQUEST_INFORMATION", "WITHDRAW");
        assertThat(history).filteredOn(event -> !event.get("actor").asText().equals("engine"))
                .extracting(event -> event.get("actor").asText()).containsExactly("ivan", "ivan", "rosa", "rosa", "ivan");
    }

    @Test
    void formsNeedTheCsrfTokenAndRefusalsAreShownOnTheCasePage() throws Exception {
        String[] intake = signIn("ines", Role.INTAKE);
        String filing = "requesterName=Dr.+%3Cscript%3Ealert(1)%3C%2Fscript%3E&requesterRole=TREATING_PROVIDER&requesterAddress=1+Way"
                + "&memberId=M1&memberName=Pat&dateOfService=2026-12-15&therapy=TUMOR_INFILTRATING_LYMPHOCYTES";
        assertThat(form("/workbench/cases", intake[0], filing).statusCode()).as("no CSRF token").isEqualTo(403);
        HttpResponse<String> filed = form("/workbench/cases", intake[0], filing + "&csrf=" + intake[1]);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(303);
        String casePath = filed.headers().firstValue("Location").orElseThrow().replaceAll("\\?.*", "");
        String page = server.raw(HttpRequest.newBuilder(server.uri(casePath)).header("Cookie", intake[0]).build()).body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)</script>");

        HttpResponse<String> refused = form(casePath + "/decision", intake[0], "outcome=DENIED&csrf=" + intake[1]);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("role=\"alert\"").contains("may decide");

        HttpResponse<String> missing = form("/workbench/cases", intake[0], "memberId=M1&csrf=" + intake[1]);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("Requester name: required").contains("dateOfService");

        assertThat(form("/workbench/sign-out", intake[0], "csrf=" + intake[1]).statusCode()).isEqualTo(303);
        assertThat(server.raw(HttpRequest.newBuilder(server.uri(casePath)).header("Cookie", intake[0]).build()).statusCode())
                .as("signed out").isEqualTo(303);
    }
}
