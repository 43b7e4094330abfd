package org.medpolicy.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar a cluster is given (run after {@code package}): it carries medpolicy and its policies,
 * not Spark, with its own Jackson moved aside; and run the way {@code spark-submit} runs it — a
 * separate JVM whose classpath is that jar plus Spark's libraries, no medpolicy module — it screens.
 */
class SparkJarIT {

    static final Path JAR = Path.of("target", "medpolicy-spark.jar");

    @TempDir
    Path folder;

    @Test
    void theJarCarriesMedpolicyNotSparkAndMovesJacksonAside() throws Exception {
        assertThat(JAR).exists();
        try (var zip = new java.util.zip.ZipFile(JAR.toFile())) {
            assertThat(zip.getEntry("org/medpolicy/spark/SparkScreening.class")).isNotNull();
            assertThat(zip.getEntry("org/medpolicy/core/engine/CoverageEngine.class")).isNotNull();
            assertThat(zip.getEntry("policies/reference/codes.yaml")).isNotNull();
            assertThat(zip.getEntry("org/medpolicy/shaded/jackson/databind/ObjectMapper.class")).isNotNull();
            assertThat(zip.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
            assertThat(zip.getEntry("org/apache/spark/sql/SparkSession.class")).isNull();
        }
    }

    @Test
    void theJarScreensOnSparkLibrariesAlone() throws Exception {
        Path input = folder.resolve("claims.csv");
        Files.writeString(input, SparkScreeningTest.HEADER + "\n" + String.join("\n", SparkScreeningTest.LINES) + "\n");
        Path output = folder.resolve("out");
        List<String> classpath = new ArrayList<>();
        classpath.add(JAR.toAbsolutePath().toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean ours = entry.contains("medpolicy") || entry.endsWith("classes") || entry.contains("junit") || entry.contains("assertj");
            if (!ours) {
                classpath.add(entry);
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : System.getProperty("medpolicy.spark.jvm", "").split(" ")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-cp", String.join(File.pathSeparator, classpath), "org.medpolicy.spark.SparkScreening",
                "--input", input.toString(), "--format", "csv", "--output", output.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(folder.resolve("job.log").toFile()).start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(folder.resolve("job.log"))).isZero();
        try (Stream<Path> partitions = Files.list(output)) {
            assertThat(partitions.map(p -> p.getFileName().toString())).contains("outcome=NOT_COVERED", "outcome=REJECTED", "_SUCCESS");
        }
    }
}
