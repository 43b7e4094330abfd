package org.medpolicy.screen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestBuilder;
import org.medpolicy.core.request.RequestReader;

/**
 * Reads one input line as claim lines. Both formats become a contract request of kind CLAIM read
 * by {@link RequestReader}: the same checks, the same messages, as {@code decide} and the API.
 * Immutable and thread-safe.
 */
abstract class LineDecoder {

    /** Claim lines, or a rejection listing every problem. */
    sealed interface Decoded permits Lines, Reject {
    }

    record Lines(List<ClaimLine> lines) implements Decoded {
    }

    record Reject(Rejected rejected) implements Decoded {
    }


    protected final RequestReader reader;

    LineDecoder(RequestReader reader) {
        this.reader = reader;
    }

    abstract Decoded decode(String text, long inputLine);

    /** For CSV input: the header line names the columns. */
    static LineDecoder csv(RequestReader reader, String header) {
        return new CsvDecoder(reader, header);
    }

    static LineDecoder ndjson(RequestReader reader) {
        return new NdjsonDecoder(reader);
    }

    /** CSV with a header: claimId, lineNumber, memberId, dateOfService, codeSystem, code, therapy, product, description, diagnoses. */
    static final class CsvDecoder extends LineDecoder {

        static final Set<String> REQUIRED = Set.of("claimId", "lineNumber", "dateOfService");
        static final List<String> KNOWN = List.of("claimId", "lineNumber", "memberId", "dateOfService", "codeSystem", "code",
                "therapy", "product", "description", "diagnoses", "lineOfBusiness");
        private final Map<String, Integer> columns = new HashMap<>();
        private final int claimIdColumn;
        private final int lineNumberColumn;
        private final int memberIdColumn;
        private final int dateOfServiceColumn;
        private final int codeSystemColumn;
        private final int codeColumn;
        private final int therapyColumn;
        private final int productColumn;
        private final int descriptionColumn;
        private final int diagnosesColumn;
        private final int lineOfBusinessColumn;

        CsvDecoder(RequestReader reader, String header) {
            super(reader);
            List<String> names = Csv.fields(header.startsWith("\uFEFF") ? header.substring(1) : header);
            if (names == null) {
                throw new IllegalArgumentException("the header line has an unclosed quote");
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                for (String known : KNOWN) {
                    if (known.equalsIgnoreCase(name)) {
                        columns.putIfAbsent(known, i);
                    }
                }
            }
            List<String> missing = REQUIRED.stream().filter(name -> !columns.containsKey(name)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("the header lacks the column(s) " + String.join(", ", missing)
                        + "; expected " + String.join(",", KNOWN.subList(0, 10)));
            }
            claimIdColumn = columns.get("claimId");
            lineNumberColumn = columns.get("lineNumber");
            dateOfServiceColumn = columns.get("dateOfService");
            memberIdColumn = columns.getOrDefault("memberId", -1);
            codeSystemColumn = columns.getOrDefault("codeSystem", -1);
            codeColumn = columns.getOrDefault("code", -1);
            therapyColumn = columns.getOrDefault("therapy", -1);
            productColumn = columns.getOrDefault("product", -1);
            descriptionColumn = columns.getOrDefault("description", -1);
            diagnosesColumn = columns.getOrDefault("diagnoses", -1);
            lineOfBusinessColumn = columns.getOrDefault("lineOfBusiness", -1);
        }

        /** The value of a column, null when the column is absent, the line short, or the field empty. */
        private static String field(List<String> fields, int index) {
            if (index < 0 || index >= fields.size()) {
                return null;
            }
            String value = fields.get(index);
            return value.isEmpty() ? null : value;
        }

        @Override
        Decoded decode(String text, long inputLine) {
            List<String> fields = Csv.fields(text);
            if (fields == null) {
                return reject(text, inputLine, List.of(new FieldError("line", "a quote is not closed on this line")));
            }
            return decodeFields(fields, text, inputLine);
        }

        /** The claim line of these column values (in header order); {@code text} is what a reject quotes. */
        Decoded decodeFields(List<String> fields, String text, long inputLine) {
            List<FieldError> problems = new ArrayList<>(2);
            String claimId = field(fields, claimIdColumn);
            if (claimId == null) {
                problems.add(new FieldError("claimId", "is required"));
            }
            int lineNumber = 0;
            String lineText = field(fields, lineNumberColumn);
            try {
                lineNumber = lineText == null ? 0 : Integer.parseInt(lineText);
            } catch (NumberFormatException e) {
                lineNumber = 0;
            }
            if (lineNumber < 1) {
                problems.add(new FieldError("lineNumber", lineText == null ? "is required" : "'" + lineText + "' is not a line number (1 or more)"));
            }

            RequestBuilder request = reader.builder().kind(RequestKind.CLAIM).lineOfBusiness(field(fields, lineOfBusinessColumn))
                    .dateOfService(field(fields, dateOfServiceColumn)).member(field(fields, memberIdColumn), null, null);
            RequestBuilder.Item item = request.item().therapy(field(fields, therapyColumn)).product(field(fields, productColumn))
                    .description(field(fields, descriptionColumn));
            String code = field(fields, codeColumn);
            String system = field(fields, codeSystemColumn);
            if (code != null || system != null) {
                item.code(system, code);
            }
            String diagnoses = field(fields, diagnosesColumn);
            if (diagnoses != null) {
                for (String diagnosis : diagnoses.split(";")) {
                    item.diagnosis(diagnosis);
                }
            }
            CoverageRequest read = null;
            try {
                read = request.build();
            } catch (ProblemException e) {
                for (FieldError error : e.errors()) {
                    problems.add(new FieldError(column(error.field()), error.message()));
                }
            }
            if (!problems.isEmpty()) {
                return reject(text, inputLine, problems);
            }
            return new Lines(List.of(new ClaimLine(inputLine, claimId, lineNumber, read.lineOfBusiness(), read.dateOfService(),
                    read.items().get(0))));
        }

        /** The CSV column a contract field came from ({@code items[0].code.value} is the column {@code code}). */
        private static String column(String field) {
            return switch (field) {
                case "items[0].code.system" -> "codeSystem";
                case "items[0].code.value", "items[0].code" -> "code";
                case "items[0]" -> "code|therapy|product|description";
                case "member.id" -> "memberId";
                default -> field.startsWith("items[0].") ? field.substring("items[0].".length()) : field;
            };
        }

    }

    /** NDJSON: one contract request of kind CLAIM per line; each of its items is a claim line. */
    static final class NdjsonDecoder extends LineDecoder {

        NdjsonDecoder(RequestReader reader) {
            super(reader);
        }

        @Override
        Decoded decode(String text, long inputLine) {
            try {
                JsonNode tree = RequestReader.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                CoverageRequest request = reader.read(tree);
                if (request.kind() != RequestKind.CLAIM) {
                    return reject(text, inputLine, List.of(new FieldError("kind", "must be CLAIM for screening, not " + request.kind())));
                }
                String claimId = request.requestId() == null ? "line-" + inputLine : request.requestId();
                List<ClaimLine> lines = new ArrayList<>(request.items().size());
                for (int i = 0; i < request.items().size(); i++) {
                    lines.add(new ClaimLine(inputLine, claimId, i + 1, request.lineOfBusiness(), request.dateOfService(),
                            request.items().get(i)));
                }
                return new Lines(lines);
            } catch (ProblemException e) {
                return reject(text, inputLine, e.errors());
            }
        }
    }

    static Reject reject(String text, long inputLine, List<FieldError> problems) {
        return new Reject(new Rejected(inputLine, text, List.copyOf(problems)));
    }
}
