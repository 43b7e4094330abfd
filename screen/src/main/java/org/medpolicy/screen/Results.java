package org.medpolicy.screen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.problem.FieldError;

/**
 * How results and rejects are written: a result is claimId, lineNumber, outcome, reason, category,
 * governedBy (ids, in precedence order), explanation, policyVersion; as a CSV row or an NDJSON
 * object. Rejects are always NDJSON: line, text, problems. Stateless and thread-safe.
 */
final class Results {

    static final String CSV_HEADER = "claimId,lineNumber,outcome,reason,category,governedBy,explanation,policyVersion";
    private static final JsonFactory JSON = new JsonFactory();

    private Results() {
    }

    static void append(StringBuilder out, InputFormat format, ClaimLine line, ItemDetermination item, String policyVersion) {
        if (format == InputFormat.CSV) {
            Csv.append(out, line.claimId());
            out.append(',').append(line.lineNumber()).append(',').append(item.outcome().name()).append(',');
            if (item.reason() != null) {
                out.append(item.reason().name());
            }
            out.append(',');
            if (item.category() != null) {
                out.append(item.category());
            }
            out.append(',');
            StringBuilder ids = new StringBuilder();
            for (GovernedBy governing : item.governedBy()) {
                if (ids.length() > 0) {
                    ids.append(';');
                }
                ids.append(governing.id());
            }
            Csv.append(out, ids.toString());
            out.append(',');
            Csv.append(out, item.explanation());
            out.append(',').append(policyVersion).append('\n');
            return;
        }
        out.append(json(generator -> {
            generator.writeStartObject();
            generator.writeStringField("claimId", line.claimId());
            generator.writeNumberField("lineNumber", line.lineNumber());
            generator.writeStringField("outcome", item.outcome().name());
            if (item.reason() != null) {
                generator.writeStringField("reason", item.reason().name());
            }
            generator.writeStringField("category", item.category());
            generator.writeArrayFieldStart("governedBy");
            for (GovernedBy governing : item.governedBy()) {
                generator.writeString(governing.id());
            }
            generator.writeEndArray();
            generator.writeStringField("explanation", item.explanation());
            generator.writeStringField("policyVersion", policyVersion);
            generator.writeEndObject();
        })).append('\n');
    }

    static String reject(Rejected rejected) {
        return json(generator -> {
            generator.writeStartObject();
            generator.writeNumberField("line", rejected.inputLine());
            generator.writeStringField("text", rejected.text());
            generator.writeArrayFieldStart("problems");
            for (FieldError problem : rejected.problems()) {
                generator.writeStartObject();
                generator.writeStringField("field", problem.field());
                generator.writeStringField("message", problem.message());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }) + "\n";
    }

    private interface Writing {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String json(Writing writing) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            writing.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
