package org.medpolicy.app.http;

import io.javalin.http.Context;

/**
 * The workbench's HTML, written by hand: every value escaped on the way in ({@link #text}), one
 * layout, a small stylesheet, no script. Pages are plain forms and links, so they work with the
 * keyboard and screen readers as browsers make them, and need no front-end build. Stateless.
 */
final class Html {

    private static final String STYLE = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
            header{background:#123a5a;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
            header a{color:#fff}header form{margin-left:auto}main{padding:1rem 1.2rem;max-width:1200px}
            a{color:#0b5394}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f2a900;outline-offset:2px}
            table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d5dc;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#e9edf2}.flag{font-weight:700;padding:0 .3rem;border-radius:3px}.overdue{background:#b00020;color:#fff}
            .soon{background:#f2a900}.ok{color:#1e6b2f}.adverse{color:#b00020;font-weight:600}
            section{background:#fff;border:1px solid #d0d5dc;border-radius:4px;padding:.6rem 1rem;margin:.8rem 0}
            label{display:block;font-weight:600;margin:.4rem 0 .1rem}input[type=text],input[type=password],input[type=date],input[type=number],select,textarea{width:100%;max-width:36rem;padding:.3rem;font:inherit}
            .check label{display:inline;font-weight:400}button{font:inherit;padding:.35rem .9rem;margin-top:.5rem;cursor:pointer}
            .error{background:#fde8ea;border:1px solid #b00020;padding:.5rem 1rem}.notice{background:#e7f4ea;border:1px solid #1e6b2f;padding:.5rem 1rem}
            blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #9aa5b1;color:#333}
            .actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:.8rem}
            .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#000;padding:.3rem}
            """;

    private Html() {
    }

    /** {@code value} with HTML's special characters escaped: safe in text and in quoted attributes. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        String raw = value.toString();
        StringBuilder out = new StringBuilder(raw.length() + 16);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Writes a full page: the layout around {@code body}; {@code user} null on the sign-in page. */
    static void page(Context ctx, int status, String title, String user, String csrf, String body) {
        StringBuilder html = new StringBuilder(4096).append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>").append(text(title))
                .append(" - medpolicy</title><style>").append(STYLE).append("</style></head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><strong>medpolicy workbench</strong>");
        if (user != null) {
            html.append("<nav aria-label=\"Main\"><a href=\"/workbench\">Queue</a> &nbsp; <a href=\"/workbench/cases/new\">New case</a>")
                    .append(" &nbsp; <a href=\"/workbench/policies/ma-immunological-cellular-gene-therapies\">Policy</a></nav>")
                    .append("<form method=\"post\" action=\"/workbench/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(text(csrf)).append("\"><span>").append(text(user)).append("</span> <button type=\"submit\">Sign out</button></form>");
        }
        html.append("</header><main id=\"main\"><h1>").append(text(title)).append("</h1>").append(body).append("</main></body></html>");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("text/html; charset=utf-8").result(html.toString());
    }

    /** A labelled text input. */
    static String input(String name, String label, String type, String value, boolean required) {
        return "<label for=\"" + name + "\">" + text(label) + "</label><input type=\"" + type + "\" id=\"" + name + "\" name=\"" + name
                + "\" value=\"" + text(value) + "\"" + (required ? " required" : "") + ">";
    }

    /** A labelled select; {@code options} are value, label pairs. */
    static String select(String name, String label, java.util.List<String[]> options, String selected) {
        StringBuilder html = new StringBuilder("<label for=\"" + name + "\">" + text(label) + "</label><select id=\"" + name
                + "\" name=\"" + name + "\">");
        for (String[] option : options) {
            html.append("<option value=\"").append(text(option[0])).append('"').append(option[0].equals(selected) ? " selected" : "")
                    .append('>').append(text(option[1])).append("</option>");
        }
        return html.append("</select>").toString();
    }

    /** A form that posts to {@code action} with the CSRF token and a submit button. */
    static String form(String action, String csrf, String fields, String button) {
        return "<form method=\"post\" action=\"" + text(action) + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + text(csrf) + "\">"
                + fields + "<button type=\"submit\">" + text(button) + "</button></form>";
    }
}
