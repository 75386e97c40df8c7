package dev.herald.loadtest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL for all smoke runs (the same embedded one the api tests use, so a fresh machine needs
 * nothing installed); each run gets a database of its own.
 */
final class SmokeDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private SmokeDatabase() {
    }

    static synchronized String freshJdbcUrl() {
        String name = "herald_smoke_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    private static EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                // Commit timestamps let the delivery scenarios measure commit -> deliver itself.
                postgres = EmbeddedPostgres.builder().setServerConfig("track_commit_timestamp", "on").start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the smoke runs' PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }
}
