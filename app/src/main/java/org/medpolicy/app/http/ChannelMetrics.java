package org.medpolicy.app.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.determination.Determination;

/**
 * What the channels count: every recorded determination by channel and status (and its id, for the
 * access log line of the call), and refused requests by status. Thread-safe (Micrometer is).
 */
public final class ChannelMetrics {

    /** The request attribute the access log reads the determination id from. */
    public static final String DETERMINATION_ID = "medpolicy.determinationId";

    private final PrometheusMeterRegistry registry;

    ChannelMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public void recorded(Context ctx, Channel channel, Determination determination) {
        registry.counter("medpolicy.determinations", "channel", channel.name(), "status", determination.status().name()).increment();
        ctx.attribute(DETERMINATION_ID, determination.determinationId());
    }

    public void refused(int status) {
        registry.counter("medpolicy.determinations.refused", "status", Integer.toString(status)).increment();
    }
}
