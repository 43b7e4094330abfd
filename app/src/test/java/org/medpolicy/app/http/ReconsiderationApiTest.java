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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;

/**
 * The member's reconsideration over HTTP, each outcome end to end: upheld and forwarded to the IRE
 * (with its case file and notices), the IRE overturning and the effectuation; reversed in part after
 * new information; out of time (forwarded as if upheld); dismissed; late filings with and without
 * good cause; who may decide (no one involved in the determination; a physician for a medical-
 * necessity denial); every refusal changing nothing; two people at once; the report.
 */
class ReconsiderationApiTest {

    @TempDir
    static Path folder;
    static TestServer server;
    static String intake;
    static String reviewer;
    static String physician;
    static String appealsPhysician;
    static String admin;

    static final String TIL = "{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\",\"description\":\"TIL therapy for metastatic melanoma\"}";
    static final String INFUSION = "{\"code\":{\"system\":\"CPT\",\"value\":\"96365\"}}";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        intake = server.signedIn("ines", Role.INTAKE);
        reviewer = server.signedIn("rita", Role.REVIEWER);
        physician = server.signedIn("dr.paul", "Dr. Paul Adams", "MD, internal medicine", Role.PHYSICIAN);
        appealsPhysician = server.signedIn("dr.quinn", "Dr. Paula Quinn", "MD, hematology and oncology", Role.PHYSICIAN);
        admin = server.signedIn("ada", Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void clockBack() {
        server.clock.reset();
    }

    // ---- helpers

    static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestServer.json(response);
    }

    /** A case with {@code items}, signed DENIED by dr.paul and noticed. */
    static String deniedCase(String items) throws Exception {
        return deniedCase(server, intake, physician, items);
    }

    /** A TIL case on {@code on}, filed by {@code intakeUser} and signed DENIED and noticed by {@code physicianUser} (both signed in here). */
    static String deniedCaseOn(TestServer on, String intakeUser, String physicianUser) throws Exception {
        return deniedCase(on, on.signedIn(intakeUser, Role.INTAKE), on.signedIn(physicianUser, Role.PHYSICIAN), TIL);
    }

    static String deniedCase(TestServer server, String intake, String physician, String items) throws Exception {
        String request = "{\"requestId\":\"OD-" + System.nanoTime() + "\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                + "\"dateOfService\":\"2026-12-15\",\"requester\":{\"role\":\"TREATING_PROVIDER\",\"id\":\"NPI-1234567893\"},"
                + "\"member\":{\"id\":\"M998877\",\"name\":\"Pat Example\",\"state\":\"OR\"},\"items\":[" + items + "]}";
        JsonNode created = ok(server.as(intake, "POST", "/v1/cases", "{\"request\":" + request
                + ",\"requester\":{\"name\":\"Dr. Ada Oncologist\",\"address\":\"1 Clinic Way, Portland OR\"}}"), 201);
        String id = created.get("caseId").asText();
        if (created.get("state").asText().equals("PENDED")) {
            StringBuilder answers = new StringBuilder();
            for (int i = 0; i < created.at("/request/items").size(); i++) {
                answers.append(i == 0 ? "" : ",").append("\"").append(i).append("\":{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}");
            }
            ok(server.as(intake, "POST", "/v1/cases/" + id + "/information", "{\"answers\":{" + answers + "}}"), 200);
        }
        ok(server.as(physician, "POST", "/v1/cases/" + id + "/decision", "{\"outcome\":\"DENIED\"}"), 200);
        ok(server.as(intake, "POST", "/v1/cases/" + id + "/notice", null), 200);
        return id;
    }

    static HttpResponse<String> file(String token, String caseId, String body) throws Exception {
        return server.as(token, "POST", "/v1/cases/" + caseId + "/reconsiderations", body);
    }

    static HttpResponse<String> act(String token, JsonNode reconsideration, String action, String body) throws Exception {
        return server.as(token, "POST", reconsideration.get("href").asText() + "/" + action, body);
    }

    static JsonNode read(JsonNode reconsideration) throws Exception {
        return ok(server.as(reviewer, "GET", reconsideration.get("href").asText(), null), 200);
    }

    /** The action is refused with {@code status} naming {@code why}, and the reconsideration is exactly as it was. */
    static void refused(String token, JsonNode reconsideration, String action, String body, int status, String why) throws Exception {
        JsonNode before = read(reconsideration);
        HttpResponse<String> response = act(token, reconsideration, action, body);
        assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains(why);
        JsonNode after = read(reconsideration);
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(after.get("history").size()).as("no history entry for a refused action").isEqualTo(before.get("history").size());
    }

    static byte[] bytes(String token, String path) throws Exception {
        HttpResponse<byte[]> response = server.client.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    static String pdfText(String path) throws Exception {
        try (PDDocument document = Loader.loadPDF(bytes(intake, path))) {
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    // ---- the outcomes

    @Test
    void anUpheldDenialGoesToTheIreWhoseReversalIsEffectuated() throws Exception {
        String caseId = deniedCase(TIL);
        JsonNode filed = ok(file(intake, caseId, "{\"requestedBy\":\"MEMBER\",\"requesterName\":\"Pat Example\","
                + "\"reason\":\"My oncologist says TIL is my best option.\"}"), 201);
        assertThat(filed.get("reconsiderationId").asText()).isNotBlank();
        assertThat(filed.get("state").asText()).isEqualTo("IN_REVIEW");
        assertThat(filed.get("items")).extracting(JsonNode::asInt).containsExactly(0);
        assertThat(filed.get("type").asText()).isEqualTo("RECONSIDERATION");
        Instant received = Instant.parse(filed.get("receivedAt").asText());
        assertThat(Instant.parse(filed.at("/clock/dueAt").asText())).as("30 calendar days in the plan's zone")
                .isEqualTo(received.atZone(TestServer.ZONE).plusDays(30).toInstant());
        assertThat(filed.at("/filing/late").asBoolean()).isFalse();
        String redecided = filed.at("/recommendation/determinationId").asText();
        assertThat(server.get("/v1/determinations/" + redecided).statusCode()).as("the engine's new decision is in the log").isEqualTo(200);
        assertThat(filed.get("history")).extracting(e -> e.get("action").asText()).containsExactly("FILE", "RECOMMEND");

        JsonNode theCase = ok(server.as(reviewer, "GET", "/v1/cases/" + caseId, null), 200);
        assertThat(theCase.at("/reconsiderations/0/reconsiderationId").asText()).isEqualTo(filed.get("reconsiderationId").asText());
        JsonNode queue = ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("queue");
        assertThat(queue).anySatisfy(entry -> {
            assertThat(entry.get("type").asText()).isEqualTo("RECONSIDERATION");
            assertThat(entry.get("reconsiderationId").asText()).isEqualTo(filed.get("reconsiderationId").asText());
            assertThat(entry.get("overdue").asBoolean()).isFalse();
        });

        HttpResponse<String> again = file(intake, caseId, "{\"requestedBy\":\"MEMBER\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already under reconsideration");

        refused(physician, filed, "decision", "{\"outcome\":\"REVERSED\",\"rationale\":\"x\"}", 403, "took part in the organization determination");
        refused(reviewer, filed, "decision", "{\"outcome\":\"UPHELD\"}", 403, "only a PHYSICIAN");
        refused(intake, filed, "decision", "{\"outcome\":\"UPHELD\"}", 403, "may decide a reconsideration");
        refused(appealsPhysician, filed, "decision", "{\"outcome\":\"MAYBE\"}", 400, "must be one of");
        refused(appealsPhysician, filed, "ire-decision", "{\"outcome\":\"OVERTURNED\"}", 409, "forwarded to the IRE");
        refused(intake, filed, "effectuation", "{}", 409, "Nothing is waiting to be effectuated");

        JsonNode upheld = ok(act(appealsPhysician, filed, "decision", "{\"outcome\":\"UPHELD\","
                + "\"rationale\":\"TIL remains investigational for this indication; no new evidence was submitted.\"}"), 200);
        assertThat(upheld.get("state").asText()).isEqualTo("FORWARDED_TO_IRE");
        assertThat(upheld.at("/decision/signedBy").asText()).isEqualTo("dr.quinn");
        assertThat(upheld.at("/forwarding/reason").asText()).isEqualTo("UPHELD");
        assertThat(upheld.at("/forwarding/dueBy").asText()).as("standard: within the reconsideration timeframe")
                .isEqualTo(upheld.at("/clock/dueAt").asText());
        assertThat(upheld.get("noticesDue")).extracting(JsonNode::asText).containsExactly("DECISION", "FORWARDED_TO_IRE");
        refused(appealsPhysician, upheld, "decision", "{\"outcome\":\"REVERSED\",\"rationale\":\"x\"}", 409, "decided while in review");

        JsonNode bundle = TestServer.JSON.readTree(bytes(reviewer, upheld.get("href").asText() + "/ire-case-file.json"));
        assertThat(bundle.get("schema").asText()).isEqualTo("medpolicy.ire-case-file/1");
        assertThat(bundle.get("determinations")).hasSize(2);
        assertThat(bundle.at("/determinations/0/determination/policy/version").asText()).isEqualTo("2025-07-01");
        assertThat(bundle.at("/determinations/1/determination/items/0/citations")).isNotEmpty();
        assertThat(bundle.at("/history/organizationDetermination")).extracting(e -> e.get("action").asText()).contains("SIGN", "NOTIFY");
        assertThat(bundle.at("/notices/0/kind").asText()).isEqualTo("ORGANIZATION_DETERMINATION");
        assertThat(bundle.at("/evidence/reason").asText()).contains("best option");
        try (PDDocument file = Loader.loadPDF(bytes(reviewer, upheld.get("href").asText() + "/ire-case-file.pdf"))) {
            assertThat(new PDFTextStripper().getText(file)).contains("Case File for the Independent Review Entity").contains("Dr. Paula Quinn");
        }

        String decisionLetter = upheld.get("href").asText() + "/notices/decision";
        assertThat(pdfText(decisionLetter)).contains("PREVIEW");
        JsonNode noticed = ok(act(intake, upheld, "notices/decision", null), 200);
        assertThat(noticed.get("noticesDue")).extracting(JsonNode::asText).containsExactly("FORWARDED_TO_IRE");
        assertThat(pdfText(decisionLetter)).doesNotContain("PREVIEW")
                .contains("Example Health Plan")
                .contains("We Did Not Change Our Decision")
                .contains("Pat Example").contains("M998877")
                .contains("Item 1 (tumor infiltrating lymphocytes): still denied: not covered")
                .contains("investigational")
                .contains("Dr. Paula Quinn, MD, hematology and oncology, who took no part")
                .contains("Independent Review Entity")
                .contains("Immunological Cellular Therapies and Gene Therapies, version 2025-07-01");
        refused(intake, noticed, "notices/decision", null, 409, "already sent");
        ok(act(intake, noticed, "notices/forwarded-to-ire", null), 200);
        assertThat(pdfText(upheld.get("href").asText() + "/notices/forwarded-to-ire"))
                .contains("Sent to the Independent Review Entity").contains("did not approve everything");

        Instant ireNotice = Instant.parse(upheld.at("/forwarding/forwardedAt").asText()).plusMillis(1);
        JsonNode overturned = ok(act(intake, upheld, "ire-decision", "{\"outcome\":\"OVERTURNED\",\"reference\":\"IRE-2026-0042\","
                + "\"decidedAt\":\"" + ireNotice + "\"}"), 200);
        assertThat(overturned.get("state").asText()).isEqualTo("IRE_DECIDED");
        assertThat(Instant.parse(overturned.at("/ireDecision/effectuation/dueAt").asText())).as("72 hours after the IRE's notice")
                .isEqualTo(ireNotice.plus(Duration.ofHours(72)));
        JsonNode work = ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("queue");
        assertThat(work).anySatisfy(entry -> {
            assertThat(entry.get("reconsiderationId").asText()).isEqualTo(filed.get("reconsiderationId").asText());
            assertThat(entry.get("task").asText()).isEqualTo("EFFECTUATE");
        });
        JsonNode done = ok(act(intake, overturned, "effectuation", "{\"note\":\"authorization A-77 issued\"}"), 200);
        assertThat(done.at("/ireDecision/effectuation/effectuatedBy").asText()).isEqualTo("ines");
        refused(intake, done, "effectuation", "{}", 409, "Nothing is waiting");
        assertThat(read(done).get("history")).extracting(e -> e.get("action").asText())
                .containsExactly("FILE", "RECOMMEND", "DECIDE_AND_FORWARD", "NOTIFY", "NOTIFY", "IRE_DECISION", "EFFECTUATE");

        JsonNode report = ok(server.as(admin, "GET", "/v1/reports/prior-authorization?year=" + java.time.Year.now().getValue(), null), 200);
        assertThat(report.get("approvedAfterAppealPercent").isNumber()).as(report.toString()).isTrue();
        assertThat(report.at("/reconsiderations/upheld").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.at("/reconsiderations/ireOverturned").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(report.at("/reconsiderations/forwardedToIre").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void newInformationAndAPartialReversalByAPhysicianAskingForSpeed() throws Exception {
        String caseId = deniedCase(TIL + "," + INFUSION);
        JsonNode filed = ok(file(intake, caseId, "{\"requestedBy\":{\"role\":\"PHYSICIAN\",\"name\":\"Dr. Ada Oncologist\"},"
                + "\"expedited\":true,\"items\":[0,1],\"reason\":\"The infusion is for CAR-T, not TIL.\"}"), 201);
        Instant received = Instant.parse(filed.get("receivedAt").asText());
        assertThat(filed.get("expedited").asBoolean()).isTrue();
        assertThat(Instant.parse(filed.at("/clock/dueAt").asText())).as("72 hours, exact").isEqualTo(received.plus(Duration.ofHours(72)));

        JsonNode informed = ok(act(intake, filed, "information", "{\"answers\":{\"1\":{\"therapy\":\"CAR_T\"}},"
                + "\"reason\":\"corrected order received\"}"), 200);
        assertThat(informed.at("/request/items/1/answers/therapy").asText()).isEqualTo("CAR_T");
        assertThat(informed.at("/recommendation/items/1/outcome").asText()).isEqualTo("OUT_OF_SCOPE");
        assertThat(informed.at("/recommendation/items/0/outcome").asText()).isEqualTo("NOT_COVERED");
        refused(intake, filed, "information", "{\"answers\":{\"9\":{\"therapy\":\"CAR_T\"}}}", 400, "names no item");

        refused(appealsPhysician, informed, "decision", "{\"outcome\":\"PARTLY_REVERSED\",\"reversedItems\":[1]}", 422, "rationale");
        refused(appealsPhysician, informed, "decision", "{\"outcome\":\"PARTLY_REVERSED\",\"reversedItems\":[0,1],\"rationale\":\"x\"}",
                422, "name the approved ones");
        JsonNode partly = ok(act(appealsPhysician, informed, "decision", "{\"outcome\":\"PARTLY_REVERSED\",\"reversedItems\":[1],"
                + "\"rationale\":\"The infusion belongs to CAR-T therapy, which is covered under NCD 110.24.\"}"), 200);
        assertThat(partly.get("state").asText()).isEqualTo("FORWARDED_TO_IRE");
        assertThat(partly.at("/effectuation/items")).extracting(JsonNode::asInt).containsExactly(1);
        assertThat(Instant.parse(partly.at("/effectuation/dueAt").asText())).as("expedited: 72 hours from receipt")
                .isEqualTo(received.plus(Duration.ofHours(72)));
        assertThat(partly.at("/forwarding/items")).extracting(JsonNode::asInt).containsExactly(0);
        Instant decided = Instant.parse(partly.at("/decision/decidedAt").asText());
        assertThat(Instant.parse(partly.at("/forwarding/dueBy").asText())).as("expedited: 24 hours after the decision")
                .isEqualTo(decided.plus(Duration.ofHours(24)));
        ok(act(intake, partly, "notices/decision", null), 200);
        assertThat(pdfText(partly.get("href").asText() + "/notices/decision"))
                .contains("We Changed Part of Our Decision").contains("Item 2").contains("approved.")
                .contains("We will authorize the approved items by");
        ok(act(reviewer, partly, "effectuation", "{}"), 200);
    }

    @Test
    void aReconsiderationNotDecidedInTimeGoesToTheIreAsIfUpheld() throws Exception {
        String caseId = deniedCase(TIL);
        JsonNode filed = ok(file(intake, caseId, "{\"requestedBy\":\"REPRESENTATIVE\",\"requesterName\":\"Sam Example (son)\"}"), 201);
        refused(reviewer, filed, "extension", "{\"days\":15,\"reason\":\"records\"}", 422, "1 to 14");
        JsonNode extended = ok(act(reviewer, filed, "extension", "{\"days\":14,\"reason\":\"records from a non-contract provider\"}"), 200);
        Instant due = Instant.parse(extended.at("/clock/dueAt").asText());
        assertThat(due).isEqualTo(Instant.parse(filed.get("receivedAt").asText()).atZone(TestServer.ZONE).plusDays(44).toInstant());
        refused(reviewer, extended, "extension", "{\"days\":1,\"reason\":\"again\"}", 422, "only one extension");

        var service = server.application.cases().reconsiderations();
        assertThat(service.forwardOverdue(due.minusSeconds(1))).as("not yet late").extracting(r -> r.reconsiderationId())
                .doesNotContain(filed.get("reconsiderationId").asText());
        server.clock.advance(Duration.between(Instant.now(), due.plus(Duration.ofHours(1))));
        assertThat(ok(server.as(reviewer, "GET", "/v1/cases", null), 200).get("queue")).anySatisfy(entry -> {
            assertThat(entry.get("reconsiderationId").asText()).isEqualTo(filed.get("reconsiderationId").asText());
            assertThat(entry.get("overdue").asBoolean()).isFalse(); // the flags are the server's real time; the sweep is the test clock's
        });
        assertThat(service.forwardOverdue(server.clock.instant())).extracting(r -> r.reconsiderationId())
                .contains(filed.get("reconsiderationId").asText());
        JsonNode forwarded = read(filed);
        assertThat(forwarded.get("state").asText()).isEqualTo("FORWARDED_TO_IRE");
        assertThat(forwarded.at("/forwarding/reason").asText()).isEqualTo("DEADLINE_MISSED");
        assertThat(forwarded.get("noticesDue")).extracting(JsonNode::asText).containsExactly("FORWARDED_TO_IRE");
        assertThat(bytes(reviewer, forwarded.get("href").asText() + "/ire-case-file.json")).isNotEmpty();
        ok(act(intake, forwarded, "notices/forwarded-to-ire", null), 200);
        assertThat(pdfText(forwarded.get("href").asText() + "/notices/forwarded-to-ire")).contains("did not decide your reconsideration");
        assertThat(service.forwardOverdue(server.clock.instant())).as("forwarded once").extracting(r -> r.reconsiderationId())
                .doesNotContain(filed.get("reconsiderationId").asText());
    }

    @Test
    void aWithdrawnRequestIsDismissedWithANoticeAndMayBeFiledAgain() throws Exception {
        String caseId = deniedCase(TIL);
        JsonNode filed = ok(file(intake, caseId, "{\"requestedBy\":\"MEMBER\"}"), 201);
        refused(intake, filed, "dismissal", "{\"reason\":\"NOT_PROPER_PARTY\",\"explanation\":\"x\"}", 403, "may dismiss");
        refused(intake, filed, "dismissal", "{\"reason\":\"WITHDRAWN\"}", 422, "explanation is required");
        refused(intake, filed, "dismissal", "{\"reason\":\"BORED\"}", 400, "must be one of");
        JsonNode dismissed = ok(act(intake, filed, "dismissal", "{\"reason\":\"WITHDRAWN\",\"explanation\":\"The member withdrew by phone "
                + "on December 2.\"}"), 200);
        assertThat(dismissed.get("state").asText()).isEqualTo("DISMISSED");
        assertThat(dismissed.get("noticesDue")).extracting(JsonNode::asText).containsExactly("DISMISSAL");
        ok(act(intake, dismissed, "notices/dismissal", null), 200);
        assertThat(pdfText(dismissed.get("href").asText() + "/notices/dismissal"))
                .contains("Notice of Dismissal").contains("The request was withdrawn").contains("review our dismissal");
        refused(appealsPhysician, dismissed, "decision", "{\"outcome\":\"UPHELD\"}", 409, "DISMISSED");
        ok(file(intake, caseId, "{\"requestedBy\":\"MEMBER\",\"reason\":\"I changed my mind.\"}"), 201);
    }

    @Test
    void lateFilingsNeedGoodCause() throws Exception {
        String caseId = deniedCase(TIL);
        server.clock.advance(Duration.ofDays(67));
        HttpResponse<String> late = file(intake, caseId, "{\"requestedBy\":\"MEMBER\"}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(422);
        assertThat(late.body()).contains("goodCause").contains("window to ask closed on");
        assertThat(ok(server.as(reviewer, "GET", "/v1/cases/" + caseId + "/reconsiderations", null), 200).get("reconsiderations"))
                .as("nothing written").isEmpty();
        JsonNode filed = ok(file(intake, caseId, "{\"requestedBy\":\"MEMBER\",\"goodCause\":\"I was in hospital until last week.\"}"), 201);
        assertThat(filed.at("/filing/late").asBoolean()).isTrue();
        assertThat(filed.at("/filing/goodCause").asText()).contains("hospital");
        assertThat(filed.get("history").get(0).get("reason").asText()).contains("good cause");
    }

    @Test
    void badFilingsAreRefusedWithEveryProblemAndWriteNothing() throws Exception {
        String caseId = deniedCase(TIL);
        HttpResponse<String> unknown = file(intake, "no-such-case", "{\"requestedBy\":\"MEMBER\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> malformed = file(intake, caseId, "{\"requestedBy\":\"NEIGHBOUR\",\"items\":[\"one\"],\"expedited\":\"yes\","
                + "\"receivedAt\":\"yesterday\"}");
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        JsonNode problems = TestServer.json(malformed).get("errors");
        assertThat(problems).extracting(e -> e.get("field").asText()).containsExactlyInAnyOrder("requestedBy", "items[0]", "expedited",
                "receivedAt");
        HttpResponse<String> wrong = file(intake, caseId, "{\"requestedBy\":\"MEMBER\",\"items\":[3],\"reason\":\"" + "x".repeat(1501)
                + "\",\"receivedAt\":\"" + Instant.now().plus(Duration.ofDays(2)) + "\"}");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(422);
        assertThat(TestServer.json(wrong).get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("items[0]", "reason", "receivedAt");
        HttpResponse<String> byAdmin = file(admin, caseId, "{\"requestedBy\":\"MEMBER\"}");
        assertThat(byAdmin.statusCode()).isEqualTo(403);
        HttpResponse<String> statedByReviewer = file(reviewer, caseId, "{\"requestedBy\":\"MEMBER\",\"receivedAt\":\""
                + Instant.now().minus(Duration.ofHours(3)) + "\"}");
        assertThat(statedByReviewer.statusCode()).as("only intake states the receipt time").isEqualTo(403);
        assertThat(statedByReviewer.body()).contains("Only intake staff");
        assertThat(ok(server.as(reviewer, "GET", "/v1/cases/" + caseId + "/reconsiderations", null), 200).get("reconsiderations")).isEmpty();

        JsonNode approved = ok(server.as(intake, "POST", "/v1/cases", "{\"request\":{\"requestId\":\"OD-A" + System.nanoTime()
                + "\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\",\"dateOfService\":\"2026-12-15\","
                + "\"requester\":{\"role\":\"TREATING_PROVIDER\"},\"member\":{\"id\":\"M1\",\"name\":\"A B\"},\"items\":[" + TIL + "]},"
                + "\"requester\":{\"name\":\"Dr. A\",\"address\":\"1 Way\"}}"), 201);
        String approvedId = approved.get("caseId").asText();
        HttpResponse<String> undecided = file(intake, approvedId, "{\"requestedBy\":\"MEMBER\"}");
        assertThat(undecided.statusCode()).as(undecided.body()).isEqualTo(409);
        ok(server.as(reviewer, "POST", "/v1/cases/" + approvedId + "/decision", "{\"outcome\":\"APPROVED\",\"rationale\":\"trial benefit\"}"), 200);
        HttpResponse<String> favourable = file(intake, approvedId, "{\"requestedBy\":\"MEMBER\"}");
        assertThat(favourable.statusCode()).as(favourable.body()).isEqualTo(422);
        assertThat(favourable.body()).contains("favourable decision cannot be appealed");
    }

    @Test
    void ofTwoPeopleActingAtOnceExactlyOneWins() throws Exception {
        String caseId = deniedCase(TIL);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> filings = List.of(() -> file(intake, caseId, "{\"requestedBy\":\"MEMBER\"}").statusCode(),
                    () -> file(reviewer, caseId, "{\"requestedBy\":\"MEMBER\"}").statusCode());
            assertThat(statuses(pool.invokeAll(filings))).containsExactlyInAnyOrder(201, 409);
            JsonNode filed = ok(server.as(reviewer, "GET", "/v1/cases/" + caseId + "/reconsiderations", null), 200).at("/reconsiderations/0");
            String third = server.signedIn("dr.rosa", Role.PHYSICIAN);
            List<Callable<Integer>> decisions = List.of(() -> act(appealsPhysician, filed, "decision", "{\"outcome\":\"UPHELD\"}").statusCode(),
                    () -> act(third, filed, "decision", "{\"outcome\":\"UPHELD\"}").statusCode());
            assertThat(statuses(pool.invokeAll(decisions))).containsExactlyInAnyOrder(200, 409);
            assertThat(read(filed).get("history")).extracting(e -> e.get("action").asText()).containsOnlyOnce("DECIDE_AND_FORWARD");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theWholePathRunsOnPostgreSQL() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
             TestServer onPostgres = new TestServer(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
            String clerk = onPostgres.signedIn("ines", Role.INTAKE);
            String decider = onPostgres.signedIn("dr.quinn", "Dr. Paula Quinn", "MD", Role.PHYSICIAN);
            String caseId = deniedCase(onPostgres, clerk, onPostgres.signedIn("dr.paul", Role.PHYSICIAN), TIL);
            JsonNode filed = ok(onPostgres.as(clerk, "POST", "/v1/cases/" + caseId + "/reconsiderations", "{\"requestedBy\":\"MEMBER\"}"), 201);
            String href = filed.get("href").asText();
            assertThat(onPostgres.as(clerk, "POST", "/v1/cases/" + caseId + "/reconsiderations", "{\"requestedBy\":\"MEMBER\"}").statusCode())
                    .isEqualTo(409);
            JsonNode upheld = ok(onPostgres.as(decider, "POST", href + "/decision", "{\"outcome\":\"UPHELD\"}"), 200);
            assertThat(upheld.get("state").asText()).isEqualTo("FORWARDED_TO_IRE");
            ok(onPostgres.as(clerk, "POST", href + "/notices/decision", null), 200);
            ok(onPostgres.as(clerk, "POST", href + "/notices/forwarded-to-ire", null), 200);
            ok(onPostgres.as(clerk, "POST", href + "/ire-decision", "{\"outcome\":\"OVERTURNED\"}"), 200);
            JsonNode done = ok(onPostgres.as(clerk, "POST", href + "/effectuation", "{}"), 200);
            assertThat(done.get("history")).hasSize(7);
            JsonNode report = ok(onPostgres.as(onPostgres.signedIn("ada", Role.ADMIN), "GET",
                    "/v1/reports/prior-authorization?year=" + java.time.Year.now().getValue(), null), 200);
            assertThat(report.get("approvedAfterAppealPercent").asDouble()).isEqualTo(100.0);
        }
    }

    private static List<Integer> statuses(List<Future<Integer>> futures) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> future : futures) {
            statuses.add(future.get());
        }
        return statuses;
    }
}
