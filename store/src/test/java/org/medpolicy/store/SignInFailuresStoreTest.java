package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.security.AuthenticationException;
import org.medpolicy.security.SignInFailures;
import org.medpolicy.security.SignInThrottle;

/**
 * Sign-in failures counted in the database: two servers' throttles on one database count one
 * guesser once (each count exact under concurrent failures of the same account at both), a success
 * at either clears the account, and the table keeps no user name.
 */
class SignInFailuresStoreTest {

    @TempDir
    Path folder;

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    static String wrong() throws AuthenticationException {
        throw AuthenticationException.invalid("The username or password is not right.");
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void twoServersThrottleOneGuesserAsOne(String kind) throws Exception {
        try (Database database = TestDatabases.open(kind, "sign-in-failures", folder)) {
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            SignInThrottle first = new SignInThrottle(clock, 3, 100, Duration.ofSeconds(1), Duration.ofMinutes(15), 2,
                    new JdbcSignInFailures(database));
            SignInThrottle second = new SignInThrottle(clock, 3, 100, Duration.ofSeconds(1), Duration.ofMinutes(15), 2,
                    new JdbcSignInFailures(database));
            assertThatThrownBy(() -> first.attempt("grace", "10.0.0.1", SignInFailuresStoreTest::wrong)).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> second.attempt("grace", "10.0.0.2", SignInFailuresStoreTest::wrong)).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> first.attempt("grace", "10.0.0.3", SignInFailuresStoreTest::wrong)).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> second.attempt("grace", "10.0.0.4", SignInFailuresStoreTest::wrong)).as("the fourth, past the free three")
                    .isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> first.attempt("grace", "10.0.0.5", () -> "signed in")).as("the other server makes it wait")
                    .isInstanceOfSatisfying(SignInThrottle.Throttled.class, t -> assertThat(t.retryAfterSeconds()).isPositive());

            Clock later = Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC);
            SignInThrottle afterTheWait = new SignInThrottle(later, 3, 100, Duration.ofSeconds(1), Duration.ofMinutes(15), 2,
                    new JdbcSignInFailures(database));
            assertThat(afterTheWait.attempt("grace", "10.0.0.5", () -> "signed in")).isEqualTo("signed in");
            assertThat(new JdbcSignInFailures(database).find("account:grace")).as("a success clears the account everywhere").isNull();
            assertThat(new JdbcSignInFailures(database).find("address:10.0.0.1")).as("addresses stay counted").isNotNull();
            assertThat(tableText(database)).as("no user name or address in the table").doesNotContain("grace").doesNotContain("10.0.0");
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void failuresOfOneKeyAtTwoServersAtOnceAreEachCounted(String kind) throws Exception {
        try (Database database = TestDatabases.open(kind, "sign-in-races", folder)) {
            List<SignInFailures> servers = List.of(new JdbcSignInFailures(database), new JdbcSignInFailures(database));
            int each = 25;
            CyclicBarrier start = new CyclicBarrier(4);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    SignInFailures at = servers.get(t % 2);
                    runs.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            at.add("account:raced", NOW, count -> count > 3 ? NOW.plusSeconds(count) : null);
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            SignInFailures.Counted counted = servers.get(0).find("account:raced");
            assertThat(counted.count()).as("every failure counted once").isEqualTo(4 * each);
            assertThat(counted.waitUntil()).as("the wait the last count set").isEqualTo(NOW.plusSeconds(4 * each));
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void aRowIsForgottenADayAfterItsLastFailureOnceItsWaitIsOver(String kind) throws Exception {
        try (Database database = TestDatabases.open(kind, "sign-in-forget", folder)) {
            JdbcSignInFailures failures = new JdbcSignInFailures(database);
            failures.add("address:192.0.2.1", NOW, count -> null);
            failures.add("address:192.0.2.2", NOW, count -> NOW.plus(Duration.ofDays(3)));
            failures.add("address:192.0.2.3", NOW.plus(Duration.ofDays(2)), count -> null);
            assertThat(failures.find("address:192.0.2.1")).as("a day past its last failure").isNull();
            assertThat(failures.find("address:192.0.2.2")).as("still waiting").isNotNull();
            assertThat(failures.find("address:192.0.2.3")).isNotNull();
        }
    }

    private static String tableText(Database database) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM sign_in_failure")) {
            while (rows.next()) {
                for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                    text.append(rows.getString(c)).append(' ');
                }
            }
        }
        return text.toString();
    }
}
