package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;
import org.medpolicy.store.JdbcPolicySets;

/** {@code medpolicy policy publish} and {@code medpolicy replay}, as an operator runs them against a database. */
class PublishAndReplayCliTest {

    private static final String POLICIES = Path.of("..", "policies").toString();

    @TempDir
    Path folder;

    @Test
    void aCheckedFolderIsPublishedOnceAndABrokenOneNever() throws IOException {
        String database = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        CliTest.Run published = CliTest.run("policy", "publish", POLICIES, "--db", database);
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.out()).contains("published " + PolicySet.read(Path.of(POLICIES)).shortId() + " as publication 1");
        assertThat(CliTest.run("policy", "publish", POLICIES, "--db", database).out()).contains("already published");

        Path broken = folder.resolve("broken");
        Files.createDirectories(broken.resolve("reference"));
        Files.writeString(broken.resolve("reference/codes.yaml"), "schema: nonsense\n");
        CliTest.Run refused = CliTest.run("policy", "publish", broken.toString(), "--db", database);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("not published").contains("problem(s)");
        try (Database db = Database.open(database, null, null)) {
            assertThat(new JdbcPolicySets(db).latest().orElseThrow().sequence()).as("nothing was published").isEqualTo(1);
        }
        assertThat(CliTest.run("policy", "publish", folder.resolve("none").toString(), "--db", database).exit()).isEqualTo(2);
    }

    @Test
    void aLoggedDeterminationReplaysIdentically() throws IOException {
        String database = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        PolicySet set = PolicySet.read(Path.of(POLICIES));
        String id;
        String phiKey = folder.resolve("phi.key").toString();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(Path.of(phiKey), java.util.Base64.getEncoder().encodeToString(key));
        try (Database db = Database.open(database, null, null);
             org.medpolicy.core.log.DeterminationLog log = new org.medpolicy.core.log.SealedDeterminationLog(new JdbcDeterminationLog(db),
                     new org.medpolicy.core.log.PhiSeal(key))) {
            new JdbcPolicySets(db).save(set);
            var engine = CoverageEngines.create(PolicyLoader.load(Path.of(POLICIES)), set.id(), Clock.systemUTC(), ZoneOffset.UTC);
            var json = RequestReader.parse(("{\"requestId\":\"REPLAY-1\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                    + "\"dateOfService\":\"2026-12-15\",\"requester\":{\"role\":\"TREATING_PROVIDER\"},\"member\":{\"id\":\"M1\",\"name\":\"Ann Lee\"},"
                    + "\"items\":[{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            id = new DeterminationService(engine, log, new MemberKeyHasher(new byte[32]))
                    .decide(Channel.API, "client:cli-test", new RequestReader(engine.vocabulary()).read(json), json).determination().determinationId();
        }
        CliTest.Run withoutKey = CliTest.run("replay", id, "--db", database, "--zone", "UTC", "--phi-key-file",
                folder.resolve("missing.key").toString());
        assertThat(withoutKey.exit()).isNotZero();
        assertThat(withoutKey.err()).contains("there is no PHI key at").contains("sealed with PHI key");
        CliTest.Run replayed = CliTest.run("replay", id, "--db", database, "--zone", "UTC", "--phi-key-file", phiKey);
        assertThat(replayed.exit()).as(replayed.err()).isZero();
        assertThat(replayed.outJson().get("identical").asBoolean()).isTrue();
        assertThat(replayed.outJson().at("/replayed/items/0/outcome").asText()).isEqualTo("NOT_COVERED");
        assertThat(CliTest.run("replay", "no-such-id", "--db", database, "--phi-key-file", phiKey).exit()).isEqualTo(2);

        // Rotation: a new key seals from now on; the old one, kept after it, still opens what it sealed.
        String oldId = new org.medpolicy.core.log.PhiSeal(key).keyId();
        CliTest.Run rotated = CliTest.run("phi-key", "rotate", "--phi-key-file", phiKey);
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("still opening with " + oldId);
        assertThat(Files.readAllLines(Path.of(phiKey))).hasSize(2).last().isEqualTo(java.util.Base64.getEncoder().encodeToString(key));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(phiKey)))).isEqualTo("rw-------");
        CliTest.Run show = CliTest.run("phi-key", "show", "--phi-key-file", phiKey);
        assertThat(show.out().lines().toList()).hasSize(2).last().isEqualTo(oldId);
        assertThat(show.out()).doesNotContain(java.util.Base64.getEncoder().encodeToString(key));
        CliTest.Run afterRotation = CliTest.run("replay", id, "--db", database, "--zone", "UTC", "--phi-key-file", phiKey);
        assertThat(afterRotation.exit()).as(afterRotation.err()).isZero();
        assertThat(afterRotation.outJson().get("identical").asBoolean()).isTrue();
        Files.writeString(Path.of(phiKey), Files.readAllLines(Path.of(phiKey)).get(0) + "\n");
        CliTest.Run retiredTooSoon = CliTest.run("replay", id, "--db", database, "--zone", "UTC", "--phi-key-file", phiKey);
        assertThat(retiredTooSoon.exit()).as("the old key dropped: its records no longer open").isNotZero();
        assertThat(retiredTooSoon.err()).contains("sealed with PHI key " + oldId);
        assertThat(CliTest.run("phi-key", "rotate", "--phi-key-file", folder.resolve("absent.key").toString()).exit()).isEqualTo(2);
    }
}
