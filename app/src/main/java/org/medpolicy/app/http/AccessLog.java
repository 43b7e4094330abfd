package org.medpolicy.app.http;

import java.io.PrintStream;
import java.time.Instant;
import org.medpolicy.core.json.ContractJson;

/**
 * Structured logs: one JSON line per request and per fault. They name the route pattern (never a
 * concrete path with ids in it), status, duration, correlation id and determination id; never a
 * request body, member id or query string, so no PHI reaches the log. Thread-safe.
 */
public final class AccessLog {

    private final PrintStream out;
    private final boolean enabled;

    public AccessLog(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    public static AccessLog disabled() {
        return new AccessLog(System.out, false);
    }

    void request(String correlationId, String method, String route, int status, long micros, String determinationId) {
        if (!enabled) {
            return;
        }
        StringBuilder line = new StringBuilder(160).append("{\"time\":\"").append(Instant.now()).append("\",\"event\":\"request\"")
                .append(",\"correlationId\":").append(ContractJson.write(correlationId))
                .append(",\"method\":\"").append(method).append('"')
                .append(",\"route\":").append(ContractJson.write(route))
                .append(",\"status\":").append(status)
                .append(",\"micros\":").append(micros);
        if (determinationId != null) {
            line.append(",\"determinationId\":\"").append(determinationId).append('"');
        }
        out.println(line.append('}'));
    }

    void fault(String correlationId, String method, String path, Exception e) {
        out.println("{\"time\":\"" + Instant.now() + "\",\"event\":\"fault\",\"correlationId\":" + ContractJson.write(correlationId)
                + ",\"method\":\"" + method + "\",\"route\":" + ContractJson.write(path.replaceAll("/[0-9a-fA-F-]{8,}", "/{id}"))
                + ",\"error\":" + ContractJson.write(e.getClass().getName())
                + ",\"cause\":" + ContractJson.write(e.getCause() == null ? "" : e.getCause().getClass().getName()) + "}");
    }
}
