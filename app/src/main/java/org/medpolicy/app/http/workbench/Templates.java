package org.medpolicy.app.http.workbench;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the workbench's jte templates ({@code src/main/jte}, precompiled by the build into
 * classes, so a template that does not compile fails the build, not a page view). Every value a
 * template writes is escaped for where it lands (text, attribute), as jte's HTML mode does by
 * default. {@link #page} puts a page's body into the one layout and sets the headers every page
 * carries. Thread-safe: the engine is.
 */
public final class Templates {

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Templates() {
    }

    /** Renders {@code template} (e.g. {@code workbench/queue.jte}) with named parameters. */
    public static String render(String template, Map<String, Object> parameters) {
        StringOutput output = new StringOutput(8192);
        ENGINE.render(template, parameters, output);
        return output.toString();
    }

    /** A full page: the layout around {@code template}; {@code user} null on the sign-in page. */
    static void page(Context ctx, int status, String title, String user, String csrf, String template, Map<String, Object> parameters) {
        Map<String, Object> layout = new LinkedHashMap<>();
        layout.put("title", title);
        layout.put("user", user);
        layout.put("csrf", csrf);
        layout.put("body", (gg.jte.Content) output -> ENGINE.render(template, parameters, output));
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("text/html; charset=utf-8").result(render("workbench/layout.jte", layout));
    }
}
