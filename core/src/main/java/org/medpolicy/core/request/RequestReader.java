package org.medpolicy.core.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.core.problem.ProblemException;

/**
 * Reads a request from untrusted JSON. Every field is checked and every problem collected, so one
 * answer lists everything wrong ({@link Problem#invalidRequest}); a request comes back only when
 * nothing is. Lenient where real senders differ harmlessly (enum case, code case and surrounding
 * space, ICD-10 codes with or without the dot), strict on meaning. Unknown fields are ignored, as
 * the contract says. Immutable and thread-safe.
 *
 * <p>Long because it is the contract's field table in code, one short method per field, and every
 * channel reads requests through it: the CLI, the API, CDS Hooks (via the contract request), batch
 * screening and Spark. Splitting it would scatter the rules a reviewer checks against the contract.
 */
public final class RequestReader {

    private static final int MAX_ITEMS = 100;
    /** The longest description a request may carry: channels that read free text shorten theirs to it. */
    public static final int MAX_DESCRIPTION = 2_000;
    private static final int MAX_TEXT = 200;
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]+");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // One document per body: anything after it is an error, not silently dropped.
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    private final RequestVocabulary vocabulary;

    public RequestReader(RequestVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * {@code request}, a typed request a channel built or changed (answers merged into a case's
     * request, say), checked by the same rules and limits as a request read from JSON.
     *
     * @throws ProblemException (400) listing every problem
     */
    public CoverageRequest check(CoverageRequest request) {
        return read(org.medpolicy.core.json.ContractJson.mapper().<JsonNode>valueToTree(request));
    }

    /** A builder of a request this reader checks: how channels without the contract's JSON state one. */
    public RequestBuilder builder() {
        return new RequestBuilder(this);
    }

    /** Whether {@code id} is a request id a request may carry (channels that take theirs from elsewhere ask first). */
    public static boolean isRequestId(String id) {
        return id != null && REQUEST_ID.matcher(id).matches();
    }

    /** The terms this reader accepts. */
    public RequestVocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * The request in {@code json}.
     *
     * @throws ProblemException with a 400 problem listing every field error
     */
    public CoverageRequest read(byte[] json) {
        return read(parse(json));
    }

    /**
     * The JSON tree of {@code json}, parsed with the reader's limits (nesting depth, string and
     * number length, no duplicate keys).
     *
     * @throws ProblemException with a 400 problem when it is not JSON
     */
    public static JsonNode parse(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null) {
                throw invalid(List.of(new FieldError("$", "the body is empty; send the request as JSON")));
            }
            return root;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw invalid(List.of(new FieldError("$", "not valid JSON" + where + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw invalid(List.of(new FieldError("$", "cannot be read: " + e.getMessage())));
        }
    }

    /** The request in an already parsed tree. */
    public CoverageRequest read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        Errors errors = new Errors();
        String requestId = optionalText(root, "requestId", errors);
        if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
            errors.add("requestId", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        RequestKind kind = requiredEnum(root, "kind", RequestKind.class, errors);
        String lineOfBusiness = optionalText(root, "lineOfBusiness", errors);
        if (lineOfBusiness == null) {
            errors.add("lineOfBusiness", "is required; one of " + String.join(", ", new TreeSet<>(vocabulary.linesOfBusiness())));
        } else {
            // Written as a code or as words ("Medicare Advantage"): one value either way. A value no
            // policy governs is not malformed; the engine answers it with 422, naming the supported ones.
            lineOfBusiness = term(lineOfBusiness);
            if (lineOfBusiness.isEmpty() || lineOfBusiness.length() > 64) {
                errors.add("lineOfBusiness", "must be a line of business such as MEDICARE_ADVANTAGE");
            }
        }
        LocalDate dateOfService = null;
        String date = optionalText(root, "dateOfService", errors);
        if (date == null) {
            errors.add("dateOfService", "is required (an ISO date, e.g. 2026-12-01)");
        } else {
            dateOfService = date(date.strip(), "dateOfService", errors);
        }
        Instant receivedAt = null;
        String received = optionalText(root, "receivedAt", errors);
        if (received != null) {
            receivedAt = instant(received.strip(), "receivedAt", errors);
        }
        Urgency urgency = optionalEnum(root, "urgency", Urgency.class, errors);
        Requester requester = requester(root, kind, errors);
        Member member = member(root, errors);
        List<RequestItem> items = items(root, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors.list);
        }
        return new CoverageRequest(requestId, kind, lineOfBusiness, dateOfService, receivedAt, urgency, requester, member, items);
    }

    private Requester requester(JsonNode root, RequestKind kind, Errors errors) {
        JsonNode node = root.get("requester");
        if (node == null || node.isNull()) {
            if (kind == RequestKind.PRE_SERVICE) {
                errors.add("requester.role", "is required for PRE_SERVICE; one of " + names(RequesterRole.class));
            }
            return null;
        }
        if (!node.isObject()) {
            errors.add("requester", "must be an object");
            return null;
        }
        RequesterRole role = optionalEnum(node, "role", "requester.role", RequesterRole.class, errors);
        if (role == null && kind == RequestKind.PRE_SERVICE && !errors.has("requester.role")) {
            errors.add("requester.role", "is required for PRE_SERVICE; one of " + names(RequesterRole.class));
        }
        String id = optionalText(node, "id", "requester.id", errors);
        if (id != null && id.length() > MAX_TEXT) {
            errors.add("requester.id", "must be at most " + MAX_TEXT + " characters");
        }
        return new Requester(role, id);
    }

    private Member member(JsonNode root, Errors errors) {
        JsonNode node = root.get("member");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add("member", "must be an object");
            return null;
        }
        String id = optionalText(node, "id", "member.id", errors);
        if (id != null && id.length() > MAX_TEXT) {
            errors.add("member.id", "must be at most " + MAX_TEXT + " characters");
        }
        String name = optionalText(node, "name", "member.name", errors);
        if (name != null && name.length() > MAX_TEXT) {
            errors.add("member.name", "must be at most " + MAX_TEXT + " characters");
        }
        String state = optionalText(node, "state", "member.state", errors);
        if (state != null && !state.strip().matches("[A-Za-z]{2}")) {
            errors.add("member.state", "must be a two-letter state code");
        }
        return new Member(id, name, state == null ? null : state.strip().toUpperCase(Locale.ROOT));
    }

    private List<RequestItem> items(JsonNode root, Errors errors) {
        JsonNode node = root.get("items");
        if (node == null || node.isNull()) {
            errors.add("items", "is required: a list of 1 to " + MAX_ITEMS + " items");
            return List.of();
        }
        if (!node.isArray()) {
            errors.add("items", "must be a list of 1 to " + MAX_ITEMS + " items");
            return List.of();
        }
        if (node.isEmpty() || node.size() > MAX_ITEMS) {
            errors.add("items", "must hold 1 to " + MAX_ITEMS + " items, not " + node.size());
            if (node.size() > MAX_ITEMS) {
                return List.of();
            }
        }
        List<RequestItem> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            RequestItem item = item(node.get(i), "items[" + i + "]", errors);
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private RequestItem item(JsonNode node, String path, Errors errors) {
        if (node == null || !node.isObject()) {
            errors.add(path, "must be an object");
            return null;
        }
        ServiceCode code = code(node.get("code"), path + ".code", errors);
        String therapy = optionalText(node, "therapy", path + ".therapy", errors);
        if (therapy != null) {
            String term = term(therapy);
            if (vocabulary.therapies().contains(term)) {
                therapy = term;
            } else {
                errors.add(path + ".therapy", "'" + therapy + "' is not a therapy term; one of "
                        + String.join(", ", new TreeSet<>(vocabulary.therapies())));
            }
        }
        String product = optionalText(node, "product", path + ".product", errors);
        if (product != null && product.length() > MAX_TEXT) {
            errors.add(path + ".product", "must be at most " + MAX_TEXT + " characters");
        }
        String description = optionalText(node, "description", path + ".description", errors);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add(path + ".description", "must be at most " + MAX_DESCRIPTION + " characters, not " + description.length());
        }
        if (code == null && !errors.hasUnder(path + ".code") && isBlank(therapy) && isBlank(product) && isBlank(description)) {
            errors.add(path, "must carry at least one of code, therapy, product, description");
        }
        List<String> diagnoses = diagnoses(node.get("diagnoses"), path + ".diagnoses", errors);
        Integer units = null;
        JsonNode unitsNode = node.get("units");
        if (unitsNode != null && !unitsNode.isNull()) {
            if (!unitsNode.canConvertToInt() || !unitsNode.isIntegralNumber() || unitsNode.asInt() < 1 || unitsNode.asInt() > 9_999) {
                errors.add(path + ".units", "must be a whole number from 1 to 9999");
            } else {
                units = unitsNode.asInt();
            }
        }
        Map<String, String> answers = answers(node.get("answers"), path + ".answers", errors);
        return new RequestItem(code, isBlank(therapy) ? null : therapy, isBlank(product) ? null : product,
                isBlank(description) ? null : description, diagnoses, units, answers);
    }

    private ServiceCode code(JsonNode node, String path, Errors errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(path, "must be an object with system and value");
            return null;
        }
        CodeSystem system = optionalEnum(node, "system", path + ".system", CodeSystem.class, errors);
        if (system == null && !errors.has(path + ".system")) {
            errors.add(path + ".system", "is required; one of " + names(CodeSystem.class));
        }
        String value = optionalText(node, "value", path + ".value", errors);
        if (value == null) {
            if (!errors.has(path + ".value")) {
                errors.add(path + ".value", "is required: a 5-character code such as 36511 or S2107");
            }
            return null;
        }
        value = value.strip().toUpperCase(Locale.ROOT);
        if (system == null) {
            return null;
        }
        boolean cptForm = CodeFormats.isCptForm(value);
        boolean levelTwo = CodeFormats.isHcpcsLevelTwo(value);
        if (system == CodeSystem.CPT && !cptForm) {
            errors.add(path + ".value", levelTwo
                    ? "'" + value + "' is a HCPCS Level II code; send it with system HCPCS"
                    : "'" + value + "' is not a CPT code (5 characters: four digits, then a digit or letter)");
            return null;
        }
        if (system == CodeSystem.HCPCS && !cptForm && !levelTwo) {
            errors.add(path + ".value", "'" + value + "' is not a HCPCS code (5 characters: a letter and four digits, or a CPT code)");
            return null;
        }
        return new ServiceCode(system, value);
    }

    private static List<String> diagnoses(JsonNode node, String path, Errors errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(path, "must be a list of ICD-10-CM codes");
            return List.of();
        }
        if (node.size() > 25) {
            errors.add(path, "must hold at most 25 codes");
            return List.of();
        }
        List<String> codes = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode code = node.get(i);
            String normalized = code.isTextual() ? code.asText().strip().toUpperCase(Locale.ROOT) : null;
            if (normalized == null || !CodeFormats.isIcd10(normalized)) {
                errors.add(path + "[" + i + "]", "'" + (code.isTextual() ? code.asText() : code.toString())
                        + "' is not an ICD-10-CM code (a letter, two digits or a digit and a letter, then optionally '.' and up to 4 characters)");
            } else {
                codes.add(normalized);
            }
        }
        return codes;
    }

    private Map<String, String> answers(JsonNode node, String path, Errors errors) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            errors.add(path, "must be an object of question id to answer code");
            return Map.of();
        }
        Map<String, String> answers = new LinkedHashMap<>();
        node.properties().forEach(field -> {
            String question = field.getKey();
            var allowed = vocabulary.answers().get(question);
            if (allowed == null) {
                errors.add(path + "." + question, "is not a question; one of " + String.join(", ", new TreeSet<>(vocabulary.answers().keySet())));
                return;
            }
            String answer = field.getValue().isTextual() ? field.getValue().asText().strip().toUpperCase(Locale.ROOT) : null;
            if (answer == null || !allowed.contains(answer)) {
                errors.add(path + "." + question, "must be one of " + String.join(", ", allowed));
                return;
            }
            answers.put(question, answer);
        });
        return answers;
    }

    /**
     * An ISO date (YYYY-MM-DD). Read by hand: {@code LocalDate.parse} goes through a general
     * formatter that costs more than a whole decision, and batch screening reads millions of these.
     */
    private static LocalDate date(String text, String field, Errors errors) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            if (year >= 0 && month >= 0 && day >= 0) {
                try {
                    return LocalDate.of(year, month, day);
                } catch (DateTimeException e) {
                    // An impossible date (2026-02-30): reported below.
                }
            }
        }
        errors.add(field, "'" + text + "' is not an ISO date (YYYY-MM-DD)");
        return null;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Instant instant(String text, String field, Errors errors) {
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            if (!InstantRange.holds(instant)) {
                errors.add(field, "'" + text + "' is not " + InstantRange.RULE);
                return null;
            }
            return instant;
        } catch (DateTimeException e) {
            errors.add(field, "'" + text + "' is not an ISO instant with a zone (e.g. 2026-11-27T15:04:05Z)");
            return null;
        }
    }

    private static String optionalText(JsonNode node, String name, Errors errors) {
        return optionalText(node, name, name, errors);
    }

    private static String optionalText(JsonNode node, String name, String path, Errors errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(path, "must be a string");
            return null;
        }
        return value.asText();
    }

    private static <E extends Enum<E>> E requiredEnum(JsonNode node, String name, Class<E> type, Errors errors) {
        E value = optionalEnum(node, name, name, type, errors);
        if (value == null && !errors.has(name)) {
            errors.add(name, "is required; one of " + names(type));
        }
        return value;
    }

    private static <E extends Enum<E>> E optionalEnum(JsonNode node, String name, Class<E> type, Errors errors) {
        return optionalEnum(node, name, name, type, errors);
    }

    private static <E extends Enum<E>> E optionalEnum(JsonNode node, String name, String path, Class<E> type, Errors errors) {
        String text = optionalText(node, name, path, errors);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(path, "'" + text + "' is not one of " + names(type));
            return null;
        }
    }

    /** A term written as words or as a code ("tumor infiltrating lymphocytes", "CAR-T") in its code form (CAR_T). */
    private static String term(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c == '-' || Character.isWhitespace(c)) {
                return SEPARATORS.matcher(upper).replaceAll("_");
            }
        }
        return upper;
    }

    private static String names(Class<? extends Enum<?>> type) {
        StringBuilder names = new StringBuilder();
        for (Enum<?> constant : type.getEnumConstants()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(constant.name());
        }
        return names.toString();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return ProblemException.invalid(errors);
    }

    /** The errors of one read. Not thread-safe: one per call. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        void add(String field, String message) {
            list.add(new FieldError(field, message));
        }

        boolean has(String field) {
            return list.stream().anyMatch(error -> error.field().equals(field));
        }

        /** An error on {@code field} or anything inside it. */
        boolean hasUnder(String field) {
            return list.stream().anyMatch(error -> error.field().equals(field) || error.field().startsWith(field + "."));
        }

        boolean isEmpty() {
            return list.isEmpty();
        }
    }
}
