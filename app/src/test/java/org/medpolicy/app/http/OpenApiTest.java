package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} is made from the route table the server installs: every route is in it
 * with its method, its path parameters, its security and a 4xx answer, and nothing else is. The
 * document is written to {@code target/openapi.json}, where CI runs {@code redocly lint} on it.
 */
class OpenApiTest {

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

    @Test
    void everyRouteIsDescribedAndNothingElse() throws Exception {
        HttpResponse<String> response = server.get("/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = TestServer.json(response);
        Files.writeString(Path.of("target", "openapi.json"), TestServer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        var routes = server.application.server().routes().routes();
        assertThat(routes).hasSizeGreaterThan(60);
        int operations = 0;
        for (var route : routes) {
            JsonNode operation = document.path("paths").path(route.path()).path(route.method().name().toLowerCase(Locale.ROOT));
            assertThat(operation.isObject()).as(route.name()).isTrue();
            operations++;
            assertThat(operation.get("operationId").asText()).isNotBlank();
            assertThat(operation.get("security").isArray()).as(route.name() + " says who may call it").isTrue();
            assertThat(operation.get("responses").properties()).as(route.name() + " has a 4xx answer")
                    .anySatisfy(answer -> assertThat(answer.getKey()).startsWith("4"));
            Matcher parameters = Pattern.compile("\\{(\\w+)}").matcher(route.path());
            while (parameters.find()) {
                String name = parameters.group(1);
                assertThat(document.path("paths").path(route.path()).path("parameters")).as(route.path() + " declares " + name)
                        .anySatisfy(parameter -> assertThat(parameter.get("name").asText()).isEqualTo(name));
            }
        }
        int described = 0;
        for (var path : document.get("paths").properties()) {
            for (var method : path.getValue().properties()) {
                described += method.getKey().equals("parameters") ? 0 : 1;
            }
        }
        assertThat(described).as("the document describes the routes and nothing else").isEqualTo(operations);
        assertThat(document.at("/paths/~1v1~1cases~1{caseId}~1reconsiderations/post/security/1/smartBackend/0").asText())
                .isEqualTo("system/cases.write");
        assertThat(document.at("/paths/~1health/get/security").isEmpty()).as("open").isTrue();
    }

    @Test
    void anUnknownRouteIsNotFoundAsAProblem() throws Exception {
        HttpResponse<String> response = server.get("/v1/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
}
