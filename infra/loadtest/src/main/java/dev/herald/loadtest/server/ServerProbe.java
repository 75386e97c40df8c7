package dev.herald.loadtest.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server process from outside, as an operator would: heap after a full GC through
 * {@code jcmd}, resident memory and CPU time from {@code /proc}.
 */
public final class ServerProbe {

    /** Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;
    /** G1's heap_info line: "garbage-first heap   total reserved 1048576K, committed 65536K, used 24567K [...]". */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total.*?used (\\d+)K");

    private final long pid;
    private final String jcmd;

    public ServerProbe(long pid) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    public long pid() {
        return pid;
    }

    /** Bytes of heap still in use after a full collection (jcmd GC.run, twice, so finalisable garbage goes too). */
    public long heapAfterGc() {
        run(jcmd, String.valueOf(pid), "GC.run");
        run(jcmd, String.valueOf(pid), "GC.run");
        String info = run(jcmd, String.valueOf(pid), "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info output:\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** Live objects by class after a full GC: class name -> {instances, bytes} (jcmd GC.class_histogram). */
    public Map<String, long[]> classHistogram() {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : run(jcmd, String.valueOf(pid), "GC.class_histogram").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                classes.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
            }
        }
        return classes;
    }

    /** Resident set size in bytes (VmRSS). */
    public long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** User plus system CPU time the process has used so far, in seconds. */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name may hold spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
