package dev.herald.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run by this process, for zero-setup runs. Its data directory is kept between
 * runs, so what Herald stored survives a restart. Started only when the datasource has no URL.
 */
@Singleton
final class EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final Path dataDirectory;
    private EmbeddedPostgres postgres;

    EmbeddedDatabase(OpsConfig config) {
        this.dataDirectory = config.embeddedDataDir() != null && !config.embeddedDataDir().isBlank()
                ? Path.of(config.embeddedDataDir())
                : UserDataDirectory.forApplication("Herald").resolve("postgres");
    }

    synchronized String jdbcUrl() {
        if (postgres == null) {
            try {
                Files.createDirectories(dataDirectory);
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
            }
            LOG.info("No datasource configured: using embedded PostgreSQL on port {} with data in {}",
                    postgres.getPort(), dataDirectory);
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @PreDestroy
    synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
