package org.medpolicy.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.request.CodeSystem;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestItem;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.core.request.Requester;
import org.medpolicy.core.request.RequesterRole;
import org.medpolicy.core.request.ServiceCode;
import org.medpolicy.core.request.Urgency;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One engine, single-item decisions on a realistic mix: most claim lines and orders a plan sees
 * name codes this policy does not govern; the rest arrive as the policy's codes, therapy terms,
 * products by brand or code, and free text. The mix is cycled in a fixed order, so every
 * invocation measures a different request and branch prediction cannot memorize one path.
 *
 * <p>{@code decideMix} is the target (median ≤ 2 µs, one core); {@code decideFreeText} isolates the
 * text scan; {@code readAndDecide} adds parsing and checking the JSON, as {@code decide} and the
 * HTTP API do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {

    private CoverageEngine engine;
    private RequestReader reader;
    private CoverageRequest[] mix;
    private CoverageRequest[] freeText;
    private byte[][] json;
    private int next;

    @Setup
    public void setUp() {
        engine = CoverageEngines.create(PolicyLoader.loadBundled(), Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"),
                java.time.ZoneOffset.UTC));
        reader = new RequestReader(engine.vocabulary());
        mix = List.of(
                code(CodeSystem.CPT, "99213"), code(CodeSystem.CPT, "99214"), code(CodeSystem.HCPCS, "J9271"),
                code(CodeSystem.CPT, "80053"), code(CodeSystem.CPT, "36511"), code(CodeSystem.CPT, "96365"),
                code(CodeSystem.CPT, "38228"), code(CodeSystem.HCPCS, "S2107"), code(CodeSystem.HCPCS, "Q2041"),
                request(RequestItem.ofTherapy("TUMOR_INFILTRATING_LYMPHOCYTES")),
                request(RequestItem.ofTherapy("CAR_T")),
                request(RequestItem.ofProduct("Kymriah")),
                request(RequestItem.ofProduct("axicabtagene ciloleucel")),
                request(new RequestItem(new ServiceCode(CodeSystem.CPT, "36511"), null, null,
                        "leukapheresis for CIK cell therapy, hepatocellular carcinoma", List.of("C22.0"), 1, null)),
                request(RequestItem.ofDescription("high-dose interleukin-2 for metastatic renal cell carcinoma")),
                code(CodeSystem.CPT, "99215")).toArray(CoverageRequest[]::new);
        freeText = List.of(
                request(RequestItem.ofDescription("Autologous tumor-infiltrating lymphocytes for metastatic melanoma after PD-1 failure")),
                request(RequestItem.ofDescription("Kymriah for relapsed diffuse large B-cell lymphoma, third line")),
                request(RequestItem.ofDescription("Allogeneic transplant after reduced-intensity conditioning, matched unrelated donor")),
                request(RequestItem.ofDescription("Office visit for follow-up of hypertension and type 2 diabetes"))
        ).toArray(CoverageRequest[]::new);
        json = List.of(
                "{\"kind\":\"CLAIM\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\",\"dateOfService\":\"2026-12-01\","
                        + "\"items\":[{\"code\":{\"system\":\"CPT\",\"value\":\"99213\"}}]}",
                "{\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\",\"dateOfService\":\"2026-12-01\","
                        + "\"receivedAt\":\"2026-11-27T10:00:00Z\",\"requester\":{\"role\":\"TREATING_PROVIDER\",\"id\":\"NPI-1234567893\"},"
                        + "\"member\":{\"id\":\"M123456\",\"state\":\"OR\"},\"items\":[{\"code\":{\"system\":\"CPT\",\"value\":\"36511\"},"
                        + "\"description\":\"leukapheresis for CIK cell therapy\",\"diagnoses\":[\"C22.0\"]}]}"
        ).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static CoverageRequest code(CodeSystem system, String value) {
        return request(RequestItem.ofCode(system, value));
    }

    private static CoverageRequest request(RequestItem item) {
        return new CoverageRequest("BENCH-1", RequestKind.PRE_SERVICE, "MEDICARE_ADVANTAGE", LocalDate.parse("2026-12-01"),
                Instant.parse("2026-11-27T10:00:00Z"), Urgency.STANDARD, new Requester(RequesterRole.TREATING_PROVIDER, null),
                null, List.of(item));
    }

    @Benchmark
    public Determination decideMix() {
        CoverageRequest request = mix[next];
        next = next + 1 == mix.length ? 0 : next + 1;
        return engine.decide(request);
    }

    @Benchmark
    public Determination decideFreeText() {
        CoverageRequest request = freeText[next & 3];
        next++;
        return engine.decide(request);
    }

    @Benchmark
    public Determination readAndDecide() {
        byte[] body = json[next & 1];
        next++;
        return engine.decide(reader.read(body));
    }
}
