package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;

/**
 * Organization-determination cases over HTTP: every transition, every refusal (and that a refusal
 * changes nothing), the physician's signature on adverse decisions, overrides, the clock, notices
 * read back from the PDF, users and sessions, and the CMS-0057-F report.
 */
class CasesApiTest {

    @TempDir
    static Path folder;
    static TestServer server;
    static String intake;
    static String reviewer;
    static String physician;
    static String secondPhysician;
    static String admin;

    static String request(String items, String extra) {
        return "{\"requestId\":\"OD-" + System.nanoTime() + "\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                + "\"dateOfService\":\"2026-12-15\",\"requester\":{\"role\":\"TREATING_PROVIDER\",\"id\":\"NPI-1234567893\"},"
                + "\"member\":{\"id\":\"M998877\",\"name\":\"Pat Example\",\"state\":\"OR\"},\"items\":[" + items + "]" + extra + "}";
    }

    static final String TIL = "{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\",\"description\":\"TIL therapy for metastatic melanoma\"}";
    static final String INFUSION = "{\"code\":{\"system\":\"CPT\",\"value\":\"96365\"}}";
    static final String PROVENGE = "{\"product\":\"Provenge\"}";

    static String newCase(String items, String options) {
        return "{\"request\":" + request(items, "") + ",\"requester\":{\"name\":\"Dr. Ada Oncologist\",\"address\":\"1 Clinic Way, Portland OR\","
                + "\"phone\":\"503-555-0100\"}" + options + "}";
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        intake = server.signedIn("ines", Role.INTAKE);
        reviewer = server.signedIn("rita", Role.REVIEWER);
        physician = server.signedIn("dr.paul", "Dr. Paul Adams", "MD, hematology and oncology", Role.PHYSICIAN);
        secondPhysician = server.signedIn("dr.quinn", Role.PHYSICIAN);
        admin = server.signedIn("ada", Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestServer.json(response);
    }

    static JsonNode create(String token, String items, String options) throws Exception {
        return ok(server.as(token, "POST", "/v1/cases", newCase(items, options)), 201);
    }

    static HttpResponse<String> act(String token, String caseId, String action, String body) throws Exception {
        return server.as(token, "POST", "/v1/cases/" + caseId + "/" + action, body);
    }

    /** The action is refused with {@code status}, and the case is exactly as it was. */
    static void refused(String token, String caseId, String action, String body, int status, String why) throws Exception {
        JsonNode before = ok(server.as(reviewer, "GET", "/v1/cases/" + caseId, null), 200);
        HttpResponse<String> response = act(token, caseId, action, body);
        assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(TestServer.json(response).get("detail").asText()).contains(why);
        JsonNode after = ok(server.as(reviewer, "GET", "/v1/cases/" + caseId, null), 200);
        assertThat(after.get("state")).isEqualTo(before.get("state"));
        assertThat(after.get("history").size()).as("no history entry for a refused action").isEqualTo(before.get("history").size());
    }

    static String pdfText(String caseId) throws Exception {
        HttpResponse<byte[]> pdf = server.client.send(HttpRequest.newBuilder(server.uri("/v1/cases/" + caseId + "/notice.pdf"))
                .header("Authorization", "Bearer " + intake).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    @Test
    void aDenialIsSignedByAPhysicianAndNoticed() throws Exception {
        JsonNode created = create(intake, TIL, "");
        String id = created.get("caseId").asText();
        assertThat(created.get("state").asText()).isEqualTo("RECOMMENDED");
        assertThat(created.get("recommended").asText()).isEqualTo("DENIED");
        assertThat(created.get("expedited").asBoolean()).isFalse();
        Instant received = Instant.parse(created.get("receivedAt").asText());
        assertThat(Instant.parse(created.at("/clock/dueAt").asText())).isEqualTo(
                received.atZone(TestServer.ZONE).plusDays(7).toInstant());
        assertThat(created.get("history")).extracting(event -> event.get("action").asText()).containsExactly("RECEIVE", "RECOMMEND");
        assertThat(created.at("/history/0/actor").asText()).isEqualTo("ines");
        assertThat(created.at("/recommendation/items/0/outcome").asText()).isEqualTo("NOT_COVERED");
        assertThat(server.channelsOfCaseDeterminations(id)).as("decided once, recorded, readable").containsExactly("CASES");

        refused(reviewer, id, "decision", "{\"outcome\":\"DENIED\"}", 403, "must be signed by a physician");
        refused(intake, id, "decision", "{\"outcome\":\"DENIED\"}", 403, "may decide");
        refused(admin, id, "decision", "{\"outcome\":\"APPROVED\",\"rationale\":\"x\"}", 403, "may decide");
        refused(intake, id, "notice", null, 409, "once the case is DECIDED");
        refused(reviewer, id, "extension", "{\"days\":15,\"reason\":\"records\"}", 422, "1 to 14");
        refused(reviewer, id, "extension", "{\"days\":14}", 422, "reason is required");

        JsonNode extended = ok(act(reviewer, id, "extension", "{\"days\":14,\"reason\":\"records from a non-contract provider\"}"), 200);
        assertThat(Instant.parse(extended.at("/clock/dueAt").asText()))
                .isEqualTo(received.atZone(TestServer.ZONE).plusDays(21).toInstant());
        assertThat(extended.at("/clock/extension/grantedBy").asText()).isEqualTo("rita");
        refused(physician, id, "extension", "{\"days\":3,\"reason\":\"again\"}", 422, "only one extension");

        JsonNode signed = ok(act(physician, id, "decision", "{\"outcome\":\"DENIED\"}"), 200);
        assertThat(signed.get("state").asText()).isEqualTo("DECIDED");
        assertThat(signed.at("/decision/signedBy").asText()).isEqualTo("dr.paul");
        assertThat(signed.at("/decision/override").asBoolean()).isFalse();
        assertThat(signed.at("/history/3/action").asText()).isEqualTo("SIGN");
        refused(secondPhysician, id, "decision", "{\"outcome\":\"DENIED\"}", 409, "from RECOMMENDED");
        refused(intake, id, "withdrawal", "{\"reason\":\"member asked\"}", 409, "not possible from DECIDED");

        assertThat(pdfText(id)).contains("PREVIEW");
        JsonNode notified = ok(act(intake, id, "notice", null), 200);
        assertThat(notified.get("state").asText()).isEqualTo("NOTIFIED");
        String letter = pdfText(id);
        assertThat(letter).doesNotContain("PREVIEW")
                .contains("Notice of Denial of Medical Coverage")
                .contains("Pat Example").contains("M998877")
                .contains("not covered").contains("investigational")
                .contains("Immunological Cellular Therapies and Gene Therapies, version 2025-07-01")
                .contains("within 65 calendar days")
                .contains("Expedited (fast) reconsideration").contains("72 hours").contains("Standard reconsideration")
                .contains("you may have to pay for it yourself")
                .contains("Example Health Plan (Medicare Advantage)")
                .contains("signed by a physician: Dr. Paul Adams, MD, hematology and oncology")
                .contains("decided by Dr. Paul Adams, MD, hematology and oncology");
        refused(intake, id, "notice", null, 409, "once the case is DECIDED");
    }

    @Test
    void informationIsRequestedGivenAndTheEngineDecidesAgain() throws Exception {
        JsonNode created = create(intake, INFUSION, "");
        String id = created.get("caseId").asText();
        assertThat(created.get("state").asText()).isEqualTo("PENDED");
        assertThat(created.has("recommended") && !created.get("recommended").isNull()).isFalse();
        refused(physician, id, "decision", "{\"outcome\":\"APPROVED\"}", 409, "from RECOMMENDED");
        refused(intake, id, "information", "{\"answers\":{\"7\":{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}}}", 400, "1 problem");

        JsonNode answered = ok(act(intake, id, "information",
                "{\"answers\":{\"0\":{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}},\"reason\":\"provider faxed the order\"}"), 200);
        assertThat(answered.get("state").asText()).isEqualTo("RECOMMENDED");
        assertThat(answered.get("recommended").asText()).isEqualTo("DENIED");
        assertThat(answered.at("/request/items/0/answers/therapy").asText()).isEqualTo("TUMOR_INFILTRATING_LYMPHOCYTES");

        refused(reviewer, id, "information-requests", "{}", 422, "reason is required");
        JsonNode pended = ok(act(reviewer, id, "information-requests", "{\"reason\":\"need the pathology report\"}"), 200);
        assertThat(pended.get("state").asText()).isEqualTo("PENDED");
        ok(act(intake, id, "information", "{\"answers\":{\"0\":{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}}}"), 200);
        assertThat(server.channelsOfCaseDeterminations(id)).as("every decision of the case is in the log")
                .containsExactly("CASES", "CASES", "CASES");

        refused(reviewer, id, "decision", "{\"outcome\":\"APPROVED\"}", 422, "needs a written rationale");
        JsonNode overridden = ok(act(reviewer, id, "decision",
                "{\"outcome\":\"APPROVED\",\"rationale\":\"Covered under the member's clinical-trial benefit.\"}"), 200);
        assertThat(overridden.at("/decision/override").asBoolean()).isTrue();
        assertThat(overridden.at("/decision/recommended").asText()).as("the engine's recommendation is kept").isEqualTo("DENIED");
        assertThat(overridden.at("/decision/outcome").asText()).isEqualTo("APPROVED");
        ok(act(reviewer, id, "notice", null), 200);
        assertThat(pdfText(id)).contains("Notice of Approval of Medical Coverage").contains("We approved your request");
    }

    @Test
    void aReferralLetterSaysWhereTheRequestGoes() throws Exception {
        JsonNode created = create(intake, "{\"product\":\"Kymriah\"}", "");
        String id = created.get("caseId").asText();
        assertThat(created.get("recommended").asText()).isEqualTo("REFERRED");
        ok(act(reviewer, id, "decision", "{\"outcome\":\"REFERRED\"}"), 200);
        ok(act(reviewer, id, "notice", null), 200);
        assertThat(pdfText(id)).contains("Notice about Your Request for Medical Coverage").contains("110.24");
    }

    @Test
    void partBDrugsAndExpeditedRequestsRunOnHours() throws Exception {
        JsonNode provenge = create(intake, PROVENGE, "");
        assertThat(provenge.get("partBDrug").asBoolean()).isTrue();
        Instant received = Instant.parse(provenge.get("receivedAt").asText());
        assertThat(Instant.parse(provenge.at("/clock/dueAt").asText())).isEqualTo(received.plus(Duration.ofHours(72)));
        refused(reviewer, provenge.get("caseId").asText(), "extension", "{\"days\":3,\"reason\":\"records\"}", 422,
                "Part B drug request cannot be extended");

        JsonNode fast = create(intake, PROVENGE, ",\"expeditedByPhysician\":true");
        assertThat(fast.get("expedited").asBoolean()).isTrue();
        assertThat(Instant.parse(fast.at("/clock/dueAt").asText()))
                .isEqualTo(Instant.parse(fast.get("receivedAt").asText()).plus(Duration.ofHours(24)));
        assertThat(fast.at("/history/0/reason").asText()).contains("requested by a physician");

        JsonNode expedited = create(intake, TIL, ",\"expedited\":true");
        assertThat(Instant.parse(expedited.at("/clock/dueAt").asText()))
                .isEqualTo(Instant.parse(expedited.get("receivedAt").asText()).plus(Duration.ofHours(72)));
        assertThat(expedited.at("/clock/dueWithin24Hours").asBoolean()).isFalse();
        assertThat(expedited.at("/clock/overdue").asBoolean()).isFalse();
    }

    @Test
    void theQueueIsOrderedByDueTimeAndWithdrawnCasesLeaveIt() throws Exception {
        String standard = create(intake, TIL, "").get("caseId").asText();
        String urgent = create(intake, PROVENGE, ",\"expedited\":true").get("caseId").asText();
        List<String> queue = new ArrayList<>();
        ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("cases").forEach(c -> queue.add(c.get("caseId").asText()));
        assertThat(queue.indexOf(urgent)).isLessThan(queue.indexOf(standard));
        List<Instant> dues = new ArrayList<>();
        ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("cases").forEach(c -> dues.add(Instant.parse(c.at("/clock/dueAt").asText())));
        assertThat(dues).isSorted();

        refused(intake, standard, "withdrawal", "{}", 422, "reason is required");
        JsonNode withdrawn = ok(act(intake, standard, "withdrawal", "{\"reason\":\"the member withdrew the request by phone\"}"), 200);
        assertThat(withdrawn.get("state").asText()).isEqualTo("WITHDRAWN");
        refused(physician, standard, "decision", "{\"outcome\":\"DENIED\"}", 409, "from RECOMMENDED");
        refused(reviewer, standard, "information-requests", "{\"reason\":\"x\"}", 409, "not possible from WITHDRAWN");
        List<String> after = new ArrayList<>();
        ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("cases").forEach(c -> after.add(c.get("caseId").asText()));
        assertThat(after).doesNotContain(standard);
    }

    @Test
    void ofTwoPhysiciansSigningAtOnceExactlyOneWins() throws Exception {
        String id = create(intake, TIL, "").get("caseId").asText();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<Integer>> both = List.of(
                () -> act(physician, id, "decision", "{\"outcome\":\"DENIED\"}").statusCode(),
                () -> act(secondPhysician, id, "decision", "{\"outcome\":\"DENIED\"}").statusCode());
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(both)) {
            statuses.add(status.get());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        JsonNode decided = ok(server.as(reviewer, "GET", "/v1/cases/" + id, null), 200);
        assertThat(decided.get("history")).extracting(e -> e.get("action").asText()).containsOnlyOnce("SIGN");
    }

    @Test
    void overLongTextsAndAFutureReceiptAreRefusedAndChangeNothing() throws Exception {
        String id = create(intake, TIL, "").get("caseId").asText();
        String tooLong = "x".repeat(1_501);
        refused(reviewer, id, "information-requests", "{\"reason\":\"" + tooLong + "\"}", 422, "at most 1500 characters");
        refused(physician, id, "decision", "{\"outcome\":\"APPROVED\",\"rationale\":\"" + tooLong + "\"}", 422, "at most 1500");
        refused(reviewer, id, "withdrawal", "{\"reason\":\"" + tooLong + "\"}", 422, "at most 1500");

        String future = newCase(TIL, "").replace("\"dateOfService\":\"2026-12-15\"",
                "\"dateOfService\":\"2026-12-15\",\"receivedAt\":\"2099-01-01T00:00:00Z\"");
        HttpResponse<String> ahead = server.as(intake, "POST", "/v1/cases", future);
        assertThat(ahead.statusCode()).as(ahead.body()).isEqualTo(422);
        assertThat(ahead.body()).contains("received in the future");
        HttpResponse<String> outOfRange = server.as(intake, "POST", "/v1/cases", newCase(TIL, "").replace("\"dateOfService\":\"2026-12-15\"",
                "\"dateOfService\":\"2026-12-15\",\"receivedAt\":\"+99999-01-01T00:00:00Z\""));
        assertThat(outOfRange.statusCode()).as(outOfRange.body()).isEqualTo(400);
        assertThat(outOfRange.body()).contains("receivedAt");
    }

    @Test
    void onlyIntakeStatesWhenARequestWasReceivedAndTheHistorySaysWhoDid() throws Exception {
        String faxed = newCase(TIL, "").replace("\"dateOfService\":\"2026-12-15\"",
                "\"dateOfService\":\"2026-12-15\",\"receivedAt\":\"" + Instant.now().minus(Duration.ofHours(20)).truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS) + "\"");
        int before = server.cases.openQueue(10_000).size();
        for (String notIntake : List.of(reviewer, physician)) {
            HttpResponse<String> refused = server.as(notIntake, "POST", "/v1/cases", faxed);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("Only intake staff state when a request was received");
        }
        assertThat(server.cases.openQueue(10_000)).as("nothing filed").hasSize(before);
        HttpResponse<String> byReviewer = server.as(reviewer, "POST", "/v1/cases", newCase(TIL, ""));
        assertThat(byReviewer.statusCode()).as("a reviewer files a case received now").isEqualTo(201);

        String id = create(intake, TIL, "").get("caseId").asText();
        HttpResponse<String> filed = server.as(intake, "POST", "/v1/cases", faxed);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        JsonNode faxedCase = TestServer.json(filed);
        String faxedAt = TestServer.JSON.readTree(faxed).at("/request/receivedAt").asText();
        assertThat(faxedCase.get("receivedAt").asText()).isEqualTo(faxedAt);
        assertThat(server.cases.history(faxedCase.get("caseId").asText()).get(0).reason())
                .contains("received " + faxedAt + " as stated by ines");
        assertThat(server.cases.history(id).get(0).reason()).as("unstated: no such note").doesNotContain("as stated");
    }

    @Test
    void badRequestsAndCallersAreRefused() throws Exception {
        HttpResponse<String> empty = server.as(intake, "POST", "/v1/cases", "{}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"request\"").contains("requester.name").contains("address or an email");
        HttpResponse<String> claim = server.as(intake, "POST", "/v1/cases",
                newCase(TIL, "").replace("\"PRE_SERVICE\"", "\"CLAIM\""));
        assertThat(claim.statusCode()).isEqualTo(422);
        HttpResponse<String> badItem = server.as(intake, "POST", "/v1/cases", newCase("{\"code\":{\"system\":\"CPT\",\"value\":\"x\"}}", ""));
        assertThat(badItem.statusCode()).isEqualTo(400);
        assertThat(badItem.body()).contains("request.items[0]");
        assertThat(server.as(intake, "GET", "/v1/cases/no-such-case", null).statusCode()).isEqualTo(404);
        assertThat(server.raw(HttpRequest.newBuilder(server.uri("/v1/cases")).build()).statusCode()).isEqualTo(401);
        assertThat(server.as("mps_forged", "GET", "/v1/cases", null).statusCode()).isEqualTo(401);
        assertThat(server.as(admin, "GET", "/v1/cases", null).statusCode()).as("ADMIN reads").isEqualTo(200);
        assertThat(server.as(admin, "POST", "/v1/cases", newCase(TIL, "")).statusCode()).as("ADMIN decides nothing").isEqualTo(403);

        HttpResponse<String> byClient = server.post("/v1/cases", "application/json", newCase(TIL, ""));
        assertThat(byClient.statusCode()).as("a backend client with system/cases.write files cases").isEqualTo(201);
        assertThat(TestServer.json(byClient).at("/history/0/actor").asText()).isEqualTo("client:test-all");
    }

    @Test
    void cookieSessionsNeedTheCsrfTokenToChangeAnything() throws Exception {
        HttpResponse<String> session = server.raw(HttpRequest.newBuilder(server.uri("/v1/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ines\",\"password\":\"" + TestServer.PASSWORD + "\"}")).build());
        JsonNode started = TestServer.json(session);
        String cookie = Gatekeeper.SESSION_COOKIE + "=" + started.get("token").asText();
        HttpRequest.Builder post = HttpRequest.newBuilder(server.uri("/v1/cases")).header("Cookie", cookie)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(newCase(TIL, "")));
        assertThat(server.raw(post.build()).statusCode()).isEqualTo(403);
        assertThat(server.raw(post.header("X-CSRF-Token", started.get("csrfToken").asText()).build()).statusCode()).isEqualTo(201);
        assertThat(server.raw(HttpRequest.newBuilder(server.uri("/v1/cases")).header("Cookie", cookie).build()).statusCode())
                .as("reading needs no CSRF token").isEqualTo(200);
    }

    @Test
    void usersAndSessions() throws Exception {
        HttpResponse<String> wrong = server.raw(HttpRequest.newBuilder(server.uri("/v1/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"rita\",\"password\":\"not her password\"}")).build());
        HttpResponse<String> unknown = server.raw(HttpRequest.newBuilder(server.uri("/v1/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"whatever it is\"}")).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(wrong).get("detail")).as("no hint which usernames exist").isEqualTo(TestServer.json(unknown).get("detail"));

        assertThat(server.as(reviewer, "GET", "/v1/users", null).statusCode()).isEqualTo(403);
        HttpResponse<String> weak = server.as(admin, "POST", "/v1/users", "{\"username\":\"new.one\",\"roles\":[\"INTAKE\"],\"password\":\"short\"}");
        assertThat(weak.statusCode()).isEqualTo(400);
        HttpResponse<String> badRole = server.as(admin, "POST", "/v1/users",
                "{\"username\":\"new.one\",\"roles\":[\"SUPERUSER\"],\"password\":\"long enough password\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        HttpResponse<String> longName = server.as(admin, "POST", "/v1/users", "{\"username\":\"new.one\",\"displayName\":\""
                + "N".repeat(201) + "\",\"roles\":[\"REVIEWER\"],\"password\":\"long enough password\"}");
        assertThat(longName.statusCode()).as("was a 500 from the column's limit").isEqualTo(400);
        assertThat(longName.body()).contains("display name is at most 200");
        HttpResponse<String> added = server.as(admin, "POST", "/v1/users",
                "{\"username\":\"new.one\",\"displayName\":\"New One\",\"roles\":[\"REVIEWER\"],\"password\":\"long enough password\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).doesNotContain("pbkdf2").doesNotContain("password");
        assertThat(server.as(admin, "POST", "/v1/users",
                "{\"username\":\"new.one\",\"roles\":[\"REVIEWER\"],\"password\":\"long enough password\"}").statusCode()).isEqualTo(409);
        assertThat(server.users.find("new.one").orElseThrow().passwordHash()).startsWith("pbkdf2-sha256$310000$");

        String token = server.signedIn("leaving", Role.REVIEWER);
        assertThat(server.as(token, "GET", "/v1/cases", null).statusCode()).isEqualTo(200);
        assertThat(server.as(token, "DELETE", "/v1/sessions/current", null).statusCode()).isEqualTo(204);
        assertThat(server.as(token, "GET", "/v1/cases", null).statusCode()).isEqualTo(401);
    }

    @Test
    void thePriorAuthorizationReport() throws Exception {
        try (TestServer fresh = TestServer.h2(folder.resolve("report"))) {
            String in = fresh.signedIn("ines", Role.INTAKE);
            String doctor = fresh.signedIn("dr.paul", Role.PHYSICIAN);
            String denied = ok(fresh.as(in, "POST", "/v1/cases", newCase(TIL, "")), 201).get("caseId").asText();
            ok(fresh.as(doctor, "POST", "/v1/cases/" + denied + "/decision", "{\"outcome\":\"DENIED\"}"), 200);
            String approved = ok(fresh.as(in, "POST", "/v1/cases", newCase(TIL, ",\"expedited\":true")), 201).get("caseId").asText();
            ok(fresh.as(doctor, "POST", "/v1/cases/" + approved + "/decision", "{\"outcome\":\"APPROVED\",\"rationale\":\"trial\"}"), 200);
            int year = java.time.Year.now(java.time.ZoneOffset.UTC).getValue();
            JsonNode report = ok(fresh.as(doctor, "GET", "/v1/reports/prior-authorization?year=" + year, null), 200);
            assertThat(report.at("/standard/decided").asInt()).isEqualTo(1);
            assertThat(report.at("/standard/deniedPercent").asDouble()).isEqualTo(100.0);
            assertThat(report.at("/expedited/approvedPercent").asDouble()).isEqualTo(100.0);
            assertThat(report.at("/expedited/medianDecisionHours").isNumber()).isTrue();
            assertThat(fresh.as(doctor, "GET", "/v1/reports/prior-authorization?year=" + (year - 1), null).body()).contains("\"decided\":0");
            assertThat(fresh.as(doctor, "GET", "/v1/reports/prior-authorization", null).statusCode()).isEqualTo(400);
        }
    }
}
