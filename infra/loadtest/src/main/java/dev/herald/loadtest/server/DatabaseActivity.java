package dev.herald.loadtest.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What PostgreSQL did in the background, counted from its statistics: checkpoints, vacuums and analyzes of
 * Herald's tables, and WAL written; and, when it runs on this host, the CPU its processes used (on two
 * cores shared by server, database and generator, the database's share is in every figure). Taken before
 * and after a measured phase, it tells a p99 that a checkpoint or an autovacuum fell into from one that
 * Herald made: on a 2-core machine either one can multiply the tail of a 30-second window.
 */
public record DatabaseActivity(long checkpoints, long vacuums, long analyzes, long walBytes, Map<Integer, Long> cpuTicks) {

    private static final double TICKS_PER_SECOND = 100.0;

    public static DatabaseActivity read(String url, String user, String password) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password); Statement statement = db.createStatement()) {
            // PostgreSQL 17 moved the checkpoint counts from pg_stat_bgwriter to pg_stat_checkpointer.
            String checkpoints = db.getMetaData().getDatabaseMajorVersion() >= 17
                    ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
                    : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
            DatabaseActivity counts;
            try (ResultSet rs = statement.executeQuery("SELECT (" + checkpoints + "),"
                    + " (SELECT coalesce(sum(vacuum_count + autovacuum_count), 0) FROM pg_stat_user_tables"
                    + "  WHERE schemaname = 'herald'),"
                    + " (SELECT coalesce(sum(analyze_count + autoanalyze_count), 0) FROM pg_stat_user_tables"
                    + "  WHERE schemaname = 'herald'),"
                    + " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                counts = new DatabaseActivity(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), Map.of());
            }
            // Every backend and background process of the cluster, but this reading's own, which is new each time.
            Map<Integer, Long> ticks = new HashMap<>();
            int postmaster = 0;
            try (ResultSet rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    Optional<ProcessStat> stat = ProcessStat.of(pid);
                    if (stat.isPresent()) {
                        ticks.put(pid, stat.get().ownTicks());
                        postmaster = stat.get().parent();
                    }
                }
                // The postmaster reaps every process of the cluster, so what ended (an autovacuum worker, a
                // closed connection) is in its children's ticks; its own are the postmaster's.
                Optional<ProcessStat> parent = postmaster == 0 ? Optional.empty() : ProcessStat.of(postmaster);
                if (parent.isPresent()) {
                    ticks.put(postmaster, parent.get().ownTicks());
                    ticks.put(-postmaster, parent.get().reapedChildrenTicks());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new DatabaseActivity(counts.checkpoints, counts.vacuums, counts.analyzes, counts.walBytes, Map.copyOf(ticks));
        }
    }

    /**
     * What happened between {@code before} and this reading. A process that started in between counts from
     * zero. One that ended in between is in the postmaster's reaped children (the negative key) with all it
     * ever used, so what it had used by {@code before} is taken off. The connection that took {@code before}
     * ended in between too, and its few milliseconds are in the figure.
     */
    public DatabaseActivity since(DatabaseActivity before) {
        Map<Integer, Long> used = new HashMap<>();
        cpuTicks.forEach((pid, ticks) -> used.put(pid, ticks - before.cpuTicks.getOrDefault(pid, 0L)));
        before.cpuTicks.forEach((pid, ticks) -> {
            if (pid > 0 && !cpuTicks.containsKey(pid)) {
                used.put(pid, -ticks);
            }
        });
        return new DatabaseActivity(checkpoints - before.checkpoints, vacuums - before.vacuums,
                analyzes - before.analyzes, walBytes - before.walBytes, Map.copyOf(used));
    }

    /**
     * CPU seconds PostgreSQL's processes used, when they run on this host (their {@code /proc} entries are
     * readable); otherwise empty: a remote database's CPU is not this machine's to count.
     */
    public OptionalDouble cpuSeconds() {
        return cpuTicks.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(cpuTicks.values().stream().mapToLong(Long::longValue).sum() / TICKS_PER_SECOND);
    }

    /** A PostgreSQL process of this host, from {@code /proc/<pid>/stat}: its parent and CPU ticks (user plus system). */
    record ProcessStat(int parent, long ownTicks, long reapedChildrenTicks) {

        static Optional<ProcessStat> of(int pid) throws IOException {
            Path stat = Path.of("/proc", String.valueOf(pid), "stat");
            if (!Files.isReadable(stat)) {
                return Optional.empty();
            }
            String text;
            try {
                text = Files.readString(stat);
            } catch (NoSuchFileException gone) {
                return Optional.empty();
            }
            // A remote server's pid may name an unrelated process here: only PostgreSQL's own count.
            if (!text.substring(text.indexOf('(') + 1, text.lastIndexOf(')')).equals("postgres")) {
                return Optional.empty();
            }
            // The fields after the command name's closing parenthesis are fixed: proc(5)'s 4th (ppid) is [1],
            // utime and stime (14th, 15th) are [11] and [12], cutime and cstime [13] and [14].
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new ProcessStat(Integer.parseInt(fields[1]),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])));
        }
    }

    /** For a report's note: "1 checkpoint, 0 vacuums and 2 analyzes of Herald's tables". */
    public String describe() {
        return plural(checkpoints, "checkpoint") + ", " + plural(vacuums, "vacuum") + " and "
                + plural(analyzes, "analyze") + " of Herald's tables";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
