package org.medpolicy.app.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every route of the server, written once: method, path, who may call it ({@link Access}), what
 * it is for ({@link Doc}) and its handler. Each channel adds its own routes; the server installs
 * the table and {@link OpenApiDocument} describes it, so {@code /openapi.json} lists exactly the
 * routes that exist. Not thread-safe while routes are added (at start); read-only after.
 */
public final class RouteTable {

    /** One route. {@code path} is in Javalin's form, {@code /v1/cases/{caseId}}, which is also OpenAPI's. */
    public record Route(HandlerType method, String path, Access access, Doc doc, Handler handler) {

        /**
         * Its name in logs, metrics and the audit: "POST /v1/cases/{id}/decision" (an id parameter
         * of any name is {@code {id}}, as these names have always been written).
         */
        public String name() {
            return method.name() + " " + path.replaceAll("\\{[A-Za-z]*(?:Id|id)}", "{id}");
        }
    }

    /** A request or response body: its media type and, where one is described, the schema in the components. */
    public record Body(String contentType, String schema) {
    }

    /**
     * What a route is for: its group ({@code tag}), a one-line summary, the body it accepts, its
     * success status and body, and the errors it may answer (status to why; the usual ones of its
     * {@link Access} are added by the document). Immutable; built with the withers.
     */
    public record Doc(String tag, String summary, Body request, int status, Body response, Map<Integer, String> errors) {

        public static Doc of(String tag, String summary) {
            return new Doc(tag, summary, null, 200, new Body("application/json", null), Map.of());
        }

        public Doc accepts(String contentType, String schema) {
            return new Doc(tag, summary, new Body(contentType, schema), status, response, errors);
        }

        public Doc answers(int successStatus, String contentType, String schema) {
            return new Doc(tag, summary, request, successStatus, contentType == null ? null : new Body(contentType, schema), errors);
        }

        /** Adds error statuses with why each happens. */
        public Doc errors(Object... statusThenWhy) {
            Map<Integer, String> more = new LinkedHashMap<>(errors);
            for (int i = 0; i + 1 < statusThenWhy.length; i += 2) {
                more.put((Integer) statusThenWhy[i], (String) statusThenWhy[i + 1]);
            }
            return new Doc(tag, summary, request, status, response, more);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public RouteTable get(String path, Access access, Doc doc, Handler handler) {
        return add(HandlerType.GET, path, access, doc, handler);
    }

    public RouteTable post(String path, Access access, Doc doc, Handler handler) {
        return add(HandlerType.POST, path, access, doc, handler);
    }

    public RouteTable delete(String path, Access access, Doc doc, Handler handler) {
        return add(HandlerType.DELETE, path, access, doc, handler);
    }

    private RouteTable add(HandlerType method, String path, Access access, Doc doc, Handler handler) {
        for (Route route : routes) {
            if (route.method() == method && route.path().equals(path)) {
                throw new IllegalStateException(method + " " + path + " is added twice");
            }
        }
        routes.add(new Route(method, path, access, doc, handler));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
