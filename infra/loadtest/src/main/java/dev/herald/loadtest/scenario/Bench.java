package dev.herald.loadtest.scenario;

import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.fleet.Fleet;
import dev.herald.loadtest.fleet.Receipts;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.rest.BenchUser;
import dev.herald.loadtest.rest.HeraldRest;
import dev.herald.loadtest.rest.TokenCache;
import dev.herald.loadtest.rest.UserPool;
import dev.herald.loadtest.server.BenchmarkServer;
import dev.herald.loadtest.server.CommitToDeliver;
import dev.herald.loadtest.server.DatabaseActivity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/** What the connection scenarios share: the server, its REST API as admin, benchmark users, the fleet. */
final class Bench implements AutoCloseable {

    static final String USER_PREFIX = "lt-";
    private static final double KIB = 1024.0;
    private static final double MIB = 1024.0 * 1024.0;

    final Options options;
    final PrintStream progress;
    final BenchmarkServer server;
    final HeraldRest rest;
    final String adminToken;
    private Fleet fleet;

    Bench(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        this.server = BenchmarkServer.from(options);
        this.rest = new HeraldRest(server.url());
        this.adminToken = rest.login("admin", server.adminPassword());
    }

    List<BenchUser> users(String prefix, int count) {
        long start = System.nanoTime();
        Optional<TokenCache> cache = options.text("token-cache").map(Path::of).map(TokenCache::new);
        Optional<List<BenchUser>> cached = cache.flatMap(tokens -> tokens.load(prefix, count, rest));
        if (cached.isPresent()) {
            log("%d users from the token cache", count);
            return cached.get();
        }
        List<BenchUser> users = new UserPool(rest, adminToken, options.integer("setup-concurrency", 16)).users(prefix, count);
        cache.ifPresent(tokens -> tokens.save(users));
        log("%d users ready in %.1f s", count, (System.nanoTime() - start) / 1e9);
        return users;
    }

    /** Starts the workers and opens one connection per user; fails unless every one opened. */
    Fleet.ConnectOutcome connect(List<BenchUser> users) {
        return connect(users, null);
    }

    /** As {@link #connect(List)}, each connection subscribed to {@code topic} (or to none, if null). */
    Fleet.ConnectOutcome connect(List<BenchUser> users, String topic) {
        fleet = Fleet.start(users.size(), options.integer("per-worker", 10_000));
        Fleet.ConnectOutcome outcome = fleet.connect(server.webSocketUrl(), users,
                options.integer("source-addresses", 10), options.integer("handshake-concurrency", 256), topic);
        log("%d connections open (%d failed) over %d workers in %.1f s", outcome.connected(), outcome.failed(),
                fleet.workers(), outcome.elapsed().toNanos() / 1e9);
        if (outcome.failed() > 0) {
            throw new IllegalStateException(outcome.failed() + " connections failed, first: " + outcome.firstFailure());
        }
        return outcome;
    }

    Fleet fleet() {
        return fleet;
    }

    /** Heap after GC, RSS and the server's CPU time: the figures every scenario ends with. */
    void addServerFigures(Report report) {
        report.add(Figure.info("server heap after GC", server.probe().heapAfterGc() / MIB, "MiB"));
        report.add(Figure.info("server RSS", server.probe().rss() / MIB, "MiB"));
        server.jdbcUrl().ifPresent(url -> report.note("PostgreSQL settings: " + databaseSettings(url)));
    }

    /** PostgreSQL's background activity so far, when the benchmark knows the database ({@code --jdbc-url}). */
    Optional<DatabaseActivity> databaseActivity() {
        return server.jdbcUrl().flatMap(url -> {
            try {
                return Optional.of(DatabaseActivity.read(url, options.text("jdbc-user", "postgres"),
                        options.text("jdbc-password", "postgres")));
            } catch (SQLException e) {
                log("PostgreSQL's statistics could not be read: %s", e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * Commit -> deliver of the sampled receipts, when the benchmark knows the database and it records commit
     * timestamps; empty otherwise.
     */
    Optional<CommitToDeliver> commitToDeliver(Receipts receipts) {
        return server.jdbcUrl().flatMap(url -> {
            try {
                return CommitToDeliver.measure(url, options.text("jdbc-user", "postgres"),
                        options.text("jdbc-password", "postgres"), receipts.receivedMicros());
            } catch (SQLException e) {
                log("commit timestamps could not be read: %s", e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * What the database did during a phase of {@code count} units of work (stored notifications, or requests
     * answered): WAL and, when PostgreSQL runs on this host, its CPU per unit, and the checkpoints and vacuums
     * that fell into the phase (each can move a p99 on its own).
     */
    void addDatabaseActivity(Report report, String phase, Optional<DatabaseActivity> before, long count, String unit) {
        addDatabaseActivity(report, phase, before, databaseActivity(), count, unit);
    }

    /** As above, for a phase that ended before the report is made, at {@code after}. */
    void addDatabaseActivity(Report report, String phase, Optional<DatabaseActivity> before,
                             Optional<DatabaseActivity> after, long count, String unit) {
        before.flatMap(start -> after.map(end -> end.since(start))).ifPresent(during -> {
            if (count > 0) {
                report.add(Figure.info("WAL per " + unit + " (" + phase + ")", during.walBytes() / (double) count, "B"));
                during.cpuSeconds().ifPresent(seconds ->
                        report.add(Figure.info("PostgreSQL CPU per " + unit + " (" + phase + ")", 1e6 * seconds / count, "us")));
            }
            report.note("PostgreSQL during " + phase + ": " + during.describe());
        });
    }

    /**
     * The settings that move the durable figures most, so that a result says what database it ran on:
     * with the default 128 MB of shared buffers, backends evict dirty pages themselves and p99 multiplies;
     * with the default 1 GB of WAL between checkpoints, a durable run checkpoints every minute or so; with
     * autovacuum off, tables are never analyzed and update-heavy ones (the cursors) only grow.
     */
    private String databaseSettings(String url) {
        try (Connection db = DriverManager.getConnection(url, options.text("jdbc-user", "postgres"),
                options.text("jdbc-password", "postgres"));
             ResultSet rs = db.createStatement().executeQuery("SELECT name, current_setting(name) FROM pg_settings"
                     + " WHERE name IN ('server_version', 'shared_buffers', 'max_wal_size', 'synchronous_commit',"
                     + " 'checkpoint_timeout', 'autovacuum', 'track_commit_timestamp') ORDER BY name")) {
            StringJoiner settings = new StringJoiner(", ");
            boolean autovacuum = true;
            while (rs.next()) {
                settings.add(rs.getString(1) + "=" + rs.getString(2));
                autovacuum &= !(rs.getString(1).equals("autovacuum") && rs.getString(2).equals("off"));
            }
            return settings + (autovacuum ? "" : " (autovacuum is off: Herald's tables are never vacuumed nor"
                    + " analyzed, which no production database should run with; see infra/loadtest/README.md)");
        } catch (SQLException e) {
            return "could not be read (" + e.getMessage() + ")";
        }
    }

    static double kib(double bytes) {
        return bytes / KIB;
    }

    void log(String format, Object... args) {
        progress.printf("[%s] %s%n", options.scenario(), String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        server.close();
    }
}
