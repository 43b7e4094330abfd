package org.medpolicy.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy set: its id is its content; it zips, unzips and loads to the same policy data. */
class PolicySetTest {

    static final Path POLICIES = Path.of("..", "policies");

    @TempDir
    Path temporary;

    @Test
    void theSameFilesHaveTheSameIdAndOneChangedByteAnother() throws IOException {
        PolicySet set = PolicySet.read(POLICIES);
        assertThat(set.id()).matches("sha256-[0-9a-f]{64}").isEqualTo(PolicySet.read(POLICIES).id());
        assertThat(set.shortId()).hasSize(12);
        assertThat(PolicySet.unzip(set.zip())).isEqualTo(set);
        assertThat(PolicySet.unzip(set.zip()).zip()).isEqualTo(set.zip());

        Path copy = temporary.resolve("copy");
        try (Stream<Path> files = Files.walk(POLICIES)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(POLICIES.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        assertThat(PolicySet.read(copy)).isEqualTo(set);
        Path codes = copy.resolve("reference/codes.yaml");
        Files.writeString(codes, Files.readString(codes) + " ");
        assertThat(PolicySet.read(copy).id()).isNotEqualTo(set.id());
    }

    @Test
    void aSetLoadsAsItsFolderDoes() {
        PolicySet set = PolicySet.read(POLICIES);
        PolicyLibrary fromSet = PolicySet.unzip(set.zip()).load();
        PolicyLibrary fromFolder = PolicyLoader.load(POLICIES);
        assertThat(PolicyDiff.of(fromFolder, fromSet).isEmpty()).isTrue();
        assertThat(fromSet.products().products()).hasSize(54);
    }

    @Test
    void aBrokenSetIsRefusedWithItsProblems() throws IOException {
        Path broken = temporary.resolve("broken");
        Files.createDirectories(broken.resolve("reference"));
        Files.writeString(broken.resolve("reference/codes.yaml"), "schema: nonsense\n");
        assertThatThrownBy(() -> PolicySet.read(broken).load()).isInstanceOf(PolicyLoadException.class);
    }
}
