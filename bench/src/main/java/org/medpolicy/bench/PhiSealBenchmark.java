package org.medpolicy.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.PhiSeal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What sealing a logged request's PHI costs per determination ({@link PhiSeal#sealRequest}: parse,
 * move the name and free text, AES-256-GCM, write), what opening it costs on replay, and, as the
 * yardstick, writing the same request as JSON once (what the log does for every request anyway).
 * A two-item request of the size the API sees, on two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Threads(2)
public class PhiSealBenchmark {

    static final PhiSeal SEAL = new PhiSeal("bench-phi-key-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII));
    static final Utf8Json REQUEST = Utf8Json.of("""
            {"requestId":"PA-2026-000123","kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01",
             "receivedAt":"2026-11-27T15:04:05Z","requester":{"role":"TREATING_PROVIDER","id":"NPI-1234567893"},
             "member":{"id":"hmac-sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","name":"Jane Q. Public","state":"OR"},
             "items":[{"code":{"system":"CPT","value":"36511"},"therapy":"TUMOR_INFILTRATING_LYMPHOCYTES","product":"lifileucel",
                       "description":"TIL therapy for metastatic melanoma after progression on anti-PD-1 therapy","diagnoses":["C43.9"],"units":1},
                      {"therapy":"CYTOKINE_INDUCED_KILLER_CELLS","description":"CIK cells as second line"}]}""".replace("\n", ""));
    static final Utf8Json SEALED = SEAL.sealRequest(REQUEST, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    @Benchmark
    public Utf8Json sealRequest() {
        return SEAL.sealRequest(REQUEST, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    }

    @Benchmark
    public Utf8Json openRequest() {
        return SEAL.openRequest(SEALED, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    }

    @Benchmark
    public Utf8Json parseAndWriteOnce() throws java.io.IOException {
        return ContractJson.writeUtf8(ContractJson.mapper().readTree(REQUEST.toByteArray()));
    }
}
