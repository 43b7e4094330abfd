package org.medpolicy.core.request;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a channel that does not receive the contract's JSON (PAS, the workbench's form, a
 * CSV of claim lines) states a request: typed where the channel has types, as text where it has
 * text (a form field, a CSV cell), and {@link #build} checks it by exactly the rules and limits of
 * {@link RequestReader}, reporting every problem under the contract's field names
 * ({@code items[1].code.value}). The line of business is the engine vocabulary's default unless the
 * channel states one; no channel writes one. Not thread-safe: one builder per request.
 */
public final class RequestBuilder {

    /** One service of the request. */
    public static final class Item {
        private String codeSystem;
        private String codeValue;
        private String therapy;
        private String product;
        private String description;
        private final List<String> diagnoses = new ArrayList<>();
        private final Map<String, String> answers = new LinkedHashMap<>();

        public Item code(CodeSystem system, String value) {
            return code(system == null ? null : system.name(), value);
        }

        /** A code as the channel has it: the system as text (CPT, HCPCS), or null to tell it by the code's form. */
        public Item code(String system, String value) {
            this.codeSystem = system == null && value != null && !value.isEmpty() ? (Character.isDigit(value.charAt(0)) ? "CPT" : "HCPCS")
                    : system;
            this.codeValue = value;
            return this;
        }

        public Item therapy(String therapy) {
            this.therapy = blankToNull(therapy);
            return this;
        }

        public Item product(String product) {
            this.product = blankToNull(product);
            return this;
        }

        public Item description(String description) {
            this.description = blankToNull(description);
            return this;
        }

        public Item diagnosis(String code) {
            if (code != null && !code.isBlank()) {
                diagnoses.add(code.strip());
            }
            return this;
        }

        public Item answer(String question, String code) {
            answers.put(question, code);
            return this;
        }

        public Item answers(Map<String, String> given) {
            answers.putAll(given);
            return this;
        }

        /** Whether nothing was said of this item (a form's blank service). */
        public boolean isEmpty() {
            return codeSystem == null && codeValue == null && therapy == null && product == null && description == null
                    && diagnoses.isEmpty() && answers.isEmpty();
        }

        ObjectNode tree() {
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            if (codeSystem != null || codeValue != null) {
                item.putObject("code").put("system", codeSystem).put("value", codeValue);
            }
            putIfPresent(item, "therapy", therapy);
            putIfPresent(item, "product", product);
            putIfPresent(item, "description", description);
            if (!diagnoses.isEmpty()) {
                ArrayNode list = item.putArray("diagnoses");
                diagnoses.forEach(list::add);
            }
            if (!answers.isEmpty()) {
                ObjectNode given = item.putObject("answers");
                answers.forEach(given::put);
            }
            return item;
        }
    }

    private final RequestReader reader;
    private String requestId;
    private String kind = RequestKind.PRE_SERVICE.name();
    private String lineOfBusiness;
    private String dateOfService;
    private Instant receivedAt;
    private Urgency urgency;
    private String requesterRole;
    private String requesterId;
    private String memberId;
    private String memberName;
    private String memberState;
    private final List<Item> items = new ArrayList<>();

    RequestBuilder(RequestReader reader) {
        this.reader = reader;
        this.lineOfBusiness = reader.vocabulary().defaultLineOfBusiness();
    }

    public RequestBuilder requestId(String id) {
        this.requestId = id;
        return this;
    }

    public RequestBuilder kind(RequestKind kind) {
        this.kind = kind.name();
        return this;
    }

    /** A line of business the channel was told (a CSV column); null keeps the vocabulary's default. */
    public RequestBuilder lineOfBusiness(String stated) {
        if (stated != null && !stated.isBlank()) {
            this.lineOfBusiness = stated;
        }
        return this;
    }

    public RequestBuilder dateOfService(LocalDate date) {
        this.dateOfService = date == null ? null : date.toString();
        return this;
    }

    /** The date of service as the channel has it (a form field, a CSV cell): read as the contract reads it. */
    public RequestBuilder dateOfService(String text) {
        this.dateOfService = blankToNull(text);
        return this;
    }

    public RequestBuilder receivedAt(Instant at) {
        this.receivedAt = at;
        return this;
    }

    public RequestBuilder urgency(Urgency urgency) {
        this.urgency = urgency;
        return this;
    }

    public RequestBuilder requester(RequesterRole role, String id) {
        return requester(role == null ? null : role.name(), id);
    }

    /** Who asked, the role as the channel has it (a form's choice). */
    public RequestBuilder requester(String role, String id) {
        this.requesterRole = blankToNull(role);
        this.requesterId = blankToNull(id);
        return this;
    }

    public RequestBuilder member(String id, String name, String state) {
        this.memberId = blankToNull(id);
        this.memberName = blankToNull(name);
        this.memberState = blankToNull(state);
        return this;
    }

    /** Adds an item and returns it, to be described. */
    public Item item() {
        Item item = new Item();
        items.add(item);
        return item;
    }

    /** Drops the items nothing was said of (a form's blank services). */
    public RequestBuilder withoutEmptyItems() {
        items.removeIf(Item::isEmpty);
        return this;
    }

    /**
     * The request, checked as {@link RequestReader#read} checks one.
     *
     * @throws org.medpolicy.core.problem.ProblemException listing every problem, by the contract's field names
     */
    public CoverageRequest build() {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        putIfPresent(request, "requestId", requestId);
        request.put("kind", kind);
        putIfPresent(request, "lineOfBusiness", lineOfBusiness);
        putIfPresent(request, "dateOfService", dateOfService);
        putIfPresent(request, "receivedAt", receivedAt == null ? null : receivedAt.toString());
        putIfPresent(request, "urgency", urgency == null ? null : urgency.name());
        if (requesterRole != null || requesterId != null) {
            ObjectNode requester = request.putObject("requester");
            putIfPresent(requester, "role", requesterRole);
            putIfPresent(requester, "id", requesterId);
        }
        if (memberId != null || memberName != null || memberState != null) {
            ObjectNode member = request.putObject("member");
            putIfPresent(member, "id", memberId);
            putIfPresent(member, "name", memberName);
            putIfPresent(member, "state", memberState);
        }
        ArrayNode list = request.putArray("items");
        items.forEach(item -> list.add(item.tree()));
        return reader.read(request);
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
