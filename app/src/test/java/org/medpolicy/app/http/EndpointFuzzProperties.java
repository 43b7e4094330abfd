package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing every endpoint over HTTP: bodies (garbage, deep nesting, valid requests with fields
 * dropped or replaced by random JSON), headers (content types, credentials, odd values) and query
 * strings. Whatever arrives, the server answers with a 2xx or 4xx, never a 500, never a stack
 * trace or an HTML page; and it keeps serving.
 */
class EndpointFuzzProperties {

    static final List<String> ROUTES = List.of("POST /v1/determinations", "GET /v1/determinations", "GET /v1/determinations/{x}",
            "GET /v1/policies", "GET /v1/policies/{x}", "GET /v1/audit", "POST /cds-services/medpolicy-order-sign",
            "POST /cds-services/medpolicy-order-select", "GET /cds-services", "GET /fhir/metadata", "GET /fhir/Questionnaire/{x}",
            "POST /fhir/Questionnaire/$questionnaire-package", "POST /auth/token", "GET /.well-known/smart-configuration",
            "GET /health", "GET /openapi.json", "GET /metrics", "DELETE /v1/determinations/{x}", "PUT /v1/policies/{x}",
            "POST /v1/sessions", "POST /v1/cases", "GET /v1/cases", "GET /v1/cases/{x}", "POST /v1/cases/{x}/decision",
            "POST /v1/cases/{x}/information", "POST /v1/cases/{x}/extension", "GET /v1/cases/{x}/notice.pdf",
            "GET /v1/reports/prior-authorization", "POST /v1/users", "GET /v1/users", "GET /workbench", "POST /workbench/sign-in",
            "POST /workbench/cases", "GET /workbench/cases/{x}", "POST /workbench/cases/{x}/decision", "GET /workbench/policies/{x}",
            "POST /fhir/Claim/$submit", "POST /fhir/Claim/$inquire", "POST /fhir/ValueSet/$expand", "GET /fhir/ValueSet/{x}",
            "POST /fhir/Questionnaire/$log-questionnaire-errors", "POST /fhir/Questionnaire/$next-question", "POST /v1/cases/{x}/questionnaire-response",
            "POST /fhir/Subscription", "GET /fhir/Subscription/{x}", "GET /fhir/Library/{x}");

    static TestServer server;
    static String request;
    static String orderSign;
    static String session;

    @BeforeContainer
    static void start() throws Exception {
        server = new TestServer(org.medpolicy.store.Database.open("jdbc:h2:mem:fuzz;DB_CLOSE_DELAY=-1", null, null), null,
                SecuritySettings.defaults().withFailureLimit(100_000, 100_000));
        request = JsonApiTest.REQUEST;
        orderSign = Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
        session = server.signedIn("fuzz.physician", org.medpolicy.core.cases.Role.PHYSICIAN, org.medpolicy.core.cases.Role.ADMIN);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 600)
    void noBodyBreaksAnyEndpoint(@ForAll("routes") String route, @ForAll("bodies") String body, @ForAll("contentTypes") String type,
                                 @ForAll("credentials") String credential) throws Exception {
        check(route, "", body, type, credential, Map.of());
    }

    @Property(tries = 400)
    void noHeaderOrQueryBreaksAnyEndpoint(@ForAll("routes") String route, @ForAll("queries") String query,
                                          @ForAll("headers") Map<String, String> headers, @ForAll("credentials") String credential)
            throws Exception {
        check(route, query, route.startsWith("POST") ? request : "", "application/json", credential, headers);
    }

    private void check(String route, String query, String body, String type, String credential, Map<String, String> headers)
            throws Exception {
        String[] parts = route.split(" ");
        String path = parts[1].replace("{x}", "0192f1d2-aaaa-7bbb-8ccc-123456789abc");
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(path + query))
                .method(parts[0], body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            builder.header("Content-Type", type);
        }
        String authorization = switch (credential) {
            case "token" -> "Bearer " + server.token;
            case "ehr" -> "Bearer " + server.ehrJwt(path);
            case "user" -> "Bearer " + session;
            case "none" -> null;
            default -> credential;
        };
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        headers.forEach(builder::header);
        HttpResponse<String> response = server.raw(builder.build());
        assertThat(response.statusCode()).as(route + query + " -> " + response.body()).isBetween(200, 499);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (!path.startsWith("/workbench")) {
            assertThat(response.body()).as("only the workbench answers in HTML").doesNotContainIgnoringCase("<html");
        }
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    @Provide
    Arbitrary<String> credentials() {
        return Arbitraries.oneOf(Arbitraries.of("token", "token", "ehr", "user", "user", "none", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer a.b.c",
                        "bearer " + "x".repeat(20_000)),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(200).withCharRange(' ', '~').map(s -> "Bearer " + s.strip()));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/fhir+json", "application/x-www-form-urlencoded", "text/plain",
                "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/json;;;", "*/*");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(400);
        Arbitrary<String> nesting = Arbitraries.integers().between(1, 5_000).map(depth -> "[".repeat(depth) + "]".repeat(depth));
        Arbitrary<String> deepObjects = Arbitraries.integers().between(1, 3_000)
                .map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
        Arbitrary<String> mangledRequest = Combinators.combine(Arbitraries.of(request, orderSign), randomJson(), Arbitraries.integers()
                .between(0, 40)).as(EndpointFuzzProperties::mangle);
        Arbitrary<String> form = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(300)
                .map(s -> "grant_type=client_credentials&client_assertion_type=" + s + "&client_assertion=" + s + "&scope=" + s);
        return Arbitraries.oneOf(garbage, nesting, deepObjects, mangledRequest, mangledRequest, form,
                Arbitraries.of("", "null", "[]", "{}", "\"\"", "1e999999", "-0", "{\"resourceType\":\"Parameters\"}",
                        "{\"resourceType\":\"Bundle\",\"entry\":[{}]}", "{\"hook\":\"order-sign\",\"hookInstance\":\"x\",\"context\":null}"));
    }

    private static Arbitrary<String> randomJson() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""),
                Arbitraries.longs().map(Object::toString), Arbitraries.of("null", "true", "[]", "{}", "[1,\"a\",null]",
                        "{\"system\":\"CPT\",\"value\":\"\"}", "1.5e308", "\"2026-02-30\"", "\"\\u0000\""));
    }

    /** Replaces the {@code which}-th field anywhere in the document (depth first) with {@code replacement}, or drops it. */
    private static String mangle(String document, String replacement, int which) {
        try {
            JsonNode tree = TestServer.JSON.readTree(document);
            int[] counter = {0};
            walk(tree, replacement, which, counter);
            return tree.toString();
        } catch (Exception e) {
            return document;
        }
    }

    private static void walk(JsonNode node, String replacement, int which, int[] counter) throws Exception {
        if (node instanceof ObjectNode object) {
            Iterator<String> names = object.fieldNames();
            List<String> fields = new java.util.ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String field : fields) {
                if (counter[0]++ == which) {
                    if (which % 3 == 0) {
                        object.remove(field);
                    } else {
                        object.set(field, TestServer.JSON.readTree(replacement));
                    }
                    return;
                }
                walk(object.get(field), replacement, which, counter);
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                walk(element, replacement, which, counter);
            }
        }
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> value = Arbitraries.strings().ofMaxLength(60).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8));
        Arbitrary<String> name = Arbitraries.of("requestId", "from", "to", "limit", "client", "_format", "x", "requestId[]");
        return Arbitraries.oneOf(Arbitraries.just(""), Combinators.combine(name, value).as((n, v) -> "?" + n + "=" + v),
                Combinators.combine(name, value, name, value).as((a, b, c, d) -> "?" + a + "=" + b + "&" + c + "=" + d),
                Arbitraries.of("?requestId", "?=", "?&&&", "?limit=99999999999999999999", "?from=2026-13-01T00:00:00Z"));
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> name = Arbitraries.of("X-Request-Id", "Accept", "Accept-Encoding", "X-Forwarded-For", "Origin", "Cookie",
                "If-None-Match", "Accept-Charset", "Prefer");
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(300).map(String::strip)
                .filter(s -> !s.isEmpty());
        return Arbitraries.maps(name, value).ofMaxSize(4);
    }
}
