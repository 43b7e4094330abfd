package org.medpolicy.core.application;

import com.fasterxml.jackson.databind.JsonNode;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.LogUnavailableException;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.log.SentRecord;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestReader;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decide, record, answer: the one path from a checked request to a determination a caller may be
 * sent, for every channel. It decides once, writes the determination to the decision log (member
 * id hashed) and returns only once the log holds it, so what any channel acknowledges can always
 * be read back by its id ({@code GET /v1/determinations/{id}}) and a case history's determination
 * ids resolve. A determination that cannot be recorded is never returned: the caller gets
 * {@link LogUnavailableException} and must answer 503.
 *
 * <p>Each determination is recorded with who asked for it ({@code madeBy}: {@code client:ID} for a
 * registered client, a username for a person), so a client can be shown only what it was sent.
 *
 * <p>The engine can be switched to a newly published set of policy data while requests are being
 * decided ({@link #switchTo}): each call takes the engine (and the request reader of its
 * vocabulary) once, so a request is decided wholly by the old data or wholly by the new.
 *
 * <p>Thread-safe (engines are immutable, the switch is one atomic reference, the log's writer is thread-safe).
 */
public final class DeterminationService {

    /** A recorded determination: the value, whether it is a Part B drug request, and its JSON exactly as logged. */
    public record Decided(Determination determination, boolean partBDrug, Utf8Json json) {
    }

    /** The engine in use and the reader of its vocabulary, switched together. */
    private record Active(CoverageEngine engine, RequestReader reader) {
        Active(CoverageEngine engine) {
            this(engine, new RequestReader(engine.vocabulary()));
        }
    }

    private final AtomicReference<Active> active;
    private final DecisionRecorder recorder;

    public DeterminationService(CoverageEngine engine, DeterminationLog log, MemberKeyHasher hasher) {
        this.active = new AtomicReference<>(new Active(engine));
        this.recorder = new DecisionRecorder(log, hasher);
    }

    /**
     * Reads {@code asReceived} as a contract request and decides it, both with the engine in use at
     * the call, and records it.
     *
     * @throws org.medpolicy.core.problem.ProblemException (400 / 422) for a request that cannot be read or decided; nothing is recorded
     * @throws LogUnavailableException when the determination could not be stored; it must not be sent
     */
    public Decided decide(Channel channel, String madeBy, JsonNode asReceived) {
        Active now = active.get();
        return decide(now.engine(), channel, madeBy, now.reader().read(asReceived), asReceived);
    }

    /**
     * Decides {@code request} and records it with the request as received ({@code asReceived}, the
     * contract JSON the caller sent or the channel built).
     *
     * @throws org.medpolicy.core.problem.ProblemException (422) when no policy can decide the request; nothing is recorded
     * @throws LogUnavailableException when the determination could not be stored; it must not be sent
     */
    public Decided decide(Channel channel, String madeBy, CoverageRequest request, JsonNode asReceived) {
        return decide(active.get().engine(), channel, madeBy, request, asReceived);
    }

    private Decided decide(CoverageEngine engine, Channel channel, String madeBy, CoverageRequest request, JsonNode asReceived) {
        CoverageEngine.Assessment assessment = engine.assess(request);
        Determination determination = assessment.determination();
        Utf8Json json = ContractJson.writeUtf8(determination);
        recorder.record(channel, madeBy, asReceived == null ? ContractJson.mapper().valueToTree(request) : asReceived, determination, json);
        return new Decided(determination, assessment.partBDrug(), json);
    }

    /** {@link #decide(Channel, String, CoverageRequest, JsonNode)} for a request a channel built rather than received as JSON. */
    public Decided decide(Channel channel, String madeBy, CoverageRequest request) {
        return decide(channel, madeBy, request, null);
    }

    /**
     * Records, beside a determination this service recorded, what {@code channel} is about to send
     * for it when that is not the determination itself (a CDS Hooks response, a PAS response
     * Bundle): call it with the exact bytes, then send those bytes.
     *
     * @throws LogUnavailableException when it could not be stored; it must not be sent
     */
    public void recordSent(Channel channel, String determinationId, String contentType, Utf8Json body) {
        recorder.log().appendSent(new SentRecord(determinationId, channel.name(), contentType, body));
    }

    /** From now on, decides with {@code next} (calls under way finish with the engine they took). */
    public void switchTo(CoverageEngine next) {
        active.set(new Active(next));
    }

    /** The engine in use now. */
    public CoverageEngine engine() {
        return active.get().engine();
    }

    /** The request reader of the engine in use now (its vocabulary: therapies, answers, lines of business). */
    public RequestReader reader() {
        return active.get().reader();
    }

    public DeterminationLog log() {
        return recorder.log();
    }
}
