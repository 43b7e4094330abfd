package org.medpolicy.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medpolicy.core.json.ContractJson;

/**
 * The OpenAPI 3.1 description of a {@link RouteTable}: every route, its path parameters, its
 * security (from its {@link Access}), its request and response bodies, and its error answers (the
 * route's own, plus those its access implies: 401 and 403 for a protected route, 429 under a rate
 * limit; at least one 4xx for every operation). The schemas, responses and security schemes it
 * refers to are {@code openapi-components.json} on the classpath. Written so a standard linter
 * ({@code redocly lint}, run by CI) finds no error. Stateless.
 */
public final class OpenApiDocument {

    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private OpenApiDocument() {
    }

    public static ObjectNode of(RouteTable table, java.util.Collection<String> scopes) {
        JsonNode base = components();
        ObjectNode document = ContractJson.mapper().createObjectNode();
        document.put("openapi", "3.1.0");
        document.set("info", base.get("info").deepCopy());
        document.putArray("servers").addObject().put("url", "/").put("description", "this server (the document is served from its root)");
        Map<String, ObjectNode> paths = new TreeMap<>();
        java.util.Set<String> tags = new java.util.TreeSet<>();
        for (RouteTable.Route route : table.routes()) {
            ObjectNode path = paths.computeIfAbsent(route.path(), p -> pathItem(p));
            path.set(route.method().name().toLowerCase(java.util.Locale.ROOT), operation(route));
            tags.add(route.doc().tag());
        }
        ArrayNode tagList = document.putArray("tags");
        for (String tag : tags) {
            String description = base.path("tags").path(tag).asText("");
            if (description.isEmpty()) {
                throw new IllegalStateException("the tag '" + tag + "' has no description in openapi-components.json");
            }
            tagList.addObject().put("name", tag).put("description", description);
        }
        ObjectNode pathsNode = document.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode components = base.get("components").deepCopy();
        ObjectNode flowScopes = (ObjectNode) components.at("/securitySchemes/smartBackend/flows/clientCredentials/scopes");
        for (String scope : scopes) {
            if (!flowScopes.has(scope)) {
                flowScopes.put(scope, scope);
            }
        }
        document.set("components", components);
        return document;
    }

    private static ObjectNode pathItem(String path) {
        ObjectNode item = ContractJson.mapper().createObjectNode();
        Matcher parameters = PARAMETER.matcher(path);
        ArrayNode list = null;
        while (parameters.find()) {
            list = list == null ? item.putArray("parameters") : list;
            ObjectNode parameter = list.addObject();
            parameter.put("name", parameters.group(1)).put("in", "path").put("required", true);
            parameter.putObject("schema").put("type", "string");
        }
        return item;
    }

    private static ObjectNode operation(RouteTable.Route route) {
        RouteTable.Doc doc = route.doc();
        ObjectNode operation = ContractJson.mapper().createObjectNode();
        operation.putArray("tags").add(doc.tag());
        operation.put("summary", doc.summary());
        operation.put("operationId", operationId(route));
        operation.set("security", security(route.access()));
        if (route.access().cost() > 1) {
            // What the call takes of the caller's rate bucket: a client can plan its rate with it.
            operation.put("x-rate-cost", route.access().cost());
        }
        if (doc.request() != null) {
            ObjectNode content = operation.putObject("requestBody").put("required", true).putObject("content")
                    .putObject(doc.request().contentType());
            if (doc.request().schema() != null) {
                content.putObject("schema").put("$ref", "#/components/schemas/" + doc.request().schema());
            }
        }
        ObjectNode responses = operation.putObject("responses");
        ObjectNode success = responses.putObject(Integer.toString(doc.status())).put("description", "done");
        if (doc.response() != null) {
            ObjectNode content = success.putObject("content").putObject(doc.response().contentType());
            if (doc.response().schema() != null) {
                content.putObject("schema").put("$ref", "#/components/schemas/" + doc.response().schema());
            }
        }
        boolean fhir = route.path().startsWith("/fhir") || route.path().startsWith("/cds-services");
        Map<Integer, String> errors = new TreeMap<>(doc.errors());
        switch (route.access().kind()) {
            case OPEN -> errors.putIfAbsent(400, "the request is malformed");
            case PAGE -> errors.putIfAbsent(403, "not permitted for the user's roles, or a form without the session's CSRF token");
            default -> {
                errors.putIfAbsent(401, null);
                errors.putIfAbsent(403, null);
                errors.putIfAbsent(429, null);
            }
        }
        errors.forEach((status, why) -> responses.set(Integer.toString(status), error(status, why, fhir)));
        return operation;
    }

    private static ObjectNode error(int status, String why, boolean fhir) {
        ObjectNode response = ContractJson.mapper().createObjectNode();
        if (why == null) {
            String reference = switch (status) {
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 429 -> "TooManyRequests";
                default -> fhir ? "OperationOutcome" : null;
            };
            if (reference == null) {
                return error(status, "refused: a problem document says why", false);
            }
            return response.put("$ref", "#/components/responses/" + reference);
        }
        response.put("description", why);
        response.putObject("content").putObject(fhir ? "application/fhir+json" : "application/problem+json").putObject("schema")
                .put("$ref", fhir ? "#/components/schemas/FhirResource" : "#/components/schemas/Problem");
        return response;
    }

    private static ArrayNode security(Access access) {
        ArrayNode security = ContractJson.mapper().createArrayNode();
        switch (access.kind()) {
            case OPEN -> {
            }
            case TOKEN -> security.addObject().putArray("smartBackend");
            case SCOPE -> security.addObject().putArray("smartBackend").add(access.scope());
            case CDS_HOOKS -> security.addObject().putArray("cdsHooksJwt");
            case USER -> {
                security.addObject().putArray("session");
                if (access.scope() != null) {
                    security.addObject().putArray("smartBackend").add(access.scope());
                }
            }
            case PAGE -> security.addObject().putArray("sessionCookie");
        }
        return security;
    }

    /** "POST /v1/cases/{caseId}/decision" → "postV1CasesCaseIdDecision": unique, because a route is added once. */
    static String operationId(RouteTable.Route route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(java.util.Locale.ROOT));
        boolean upper = true;
        for (char c : route.path().toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                id.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return id.toString();
    }

    private static JsonNode components() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi-components.json")) {
            return ContractJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi-components.json is not readable", e);
        }
    }
}
