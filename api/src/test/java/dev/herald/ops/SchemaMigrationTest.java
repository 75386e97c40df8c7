package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.HeraldServer;
import dev.herald.TestPostgres;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

class SchemaMigrationTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void latestVersionIsTheHighestMigrationInTheBuild() throws Exception {
        URL migrations = SchemaMigration.class.getClassLoader().getResource("db/migration");
        int highest;
        try (Stream<Path> files = Files.list(Path.of(migrations.toURI()))) {
            highest = files.map(file -> VERSIONED.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }

        assertThat(SchemaMigration.LATEST_VERSION).isEqualTo(highest);
    }

    @Test
    void aNewDatabaseIsMigratedByFlywayAndTheNextStartOnItSkipsFlyway() throws Exception {
        String database = TestPostgres.freshDatabase();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("io.micronaut.flyway"),
                (Logger) LoggerFactory.getLogger(SchemaMigration.class));
        loggers.forEach(logger -> {
            logger.addAppender(captured);
            logger.setLevel(Level.INFO);
        });
        try {
            HeraldServer first = new HeraldServer(Map.of("datasources.default.url", database));
            first.beforeAll(null);
            first.stop();
            assertThat(messages(captured)).anyMatch(line -> line.startsWith("Running migrations"));
            int historyRows = historyRows(database);
            assertThat(SchemaMigration.appliedVersion(dataSource(database))).isEqualTo(SchemaMigration.LATEST_VERSION);

            captured.list.clear();
            HeraldServer second = new HeraldServer(Map.of("datasources.default.url", database));
            second.beforeAll(null);
            second.stop();

            assertThat(messages(captured)).noneMatch(line -> line.startsWith("Running migrations"))
                    .anyMatch(line -> line.contains("no migration needed"));
            assertThat(historyRows(database)).isEqualTo(historyRows);
        } finally {
            loggers.forEach(logger -> {
                logger.detachAppender(captured);
                logger.setLevel(null);
            });
        }
    }

    @Test
    void aDatabaseWithoutHistoryOrWithAFailedMigrationIsLeftToFlyway() throws Exception {
        String database = TestPostgres.freshDatabase();
        assertThat(SchemaMigration.appliedVersion(dataSource(database))).as("no history table").isEqualTo(-1);

        try (Connection db = DriverManager.getConnection(database, "postgres", "postgres")) {
            db.createStatement().execute("""
                    CREATE SCHEMA herald;
                    CREATE TABLE herald.flyway_schema_history (installed_rank int, version text, success boolean);
                    INSERT INTO herald.flyway_schema_history VALUES (1, '1', true), (2, '2', true), (3, '3', true),
                                                                    (4, '4', true), (5, '5', false)""");
        }

        assertThat(SchemaMigration.appliedVersion(dataSource(database))).as("a failed migration").isEqualTo(-1);
    }

    private static List<String> messages(ListAppender<ILoggingEvent> captured) {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static int historyRows(String database) throws SQLException {
        try (Connection db = DriverManager.getConnection(database, "postgres", "postgres");
             ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM herald.flyway_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database);
        dataSource.setUser("postgres");
        dataSource.setPassword("postgres");
        return dataSource;
    }
}
