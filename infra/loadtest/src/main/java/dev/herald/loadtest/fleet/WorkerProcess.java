package dev.herald.loadtest.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.loadtest.rest.HeraldRest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One worker JVM (same classpath, {@code WorkerMain}), spoken to one JSON line at a time. */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final PrintStream commands;
    private final BufferedReader replies;

    private WorkerProcess(Process process) {
        this.process = process;
        this.commands = new PrintStream(process.getOutputStream(), false, StandardCharsets.UTF_8);
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static WorkerProcess start(int eventLoopThreads, String heap, Path log) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "dev.herald.loadtest.worker.WorkerMain", String.valueOf(eventLoopThreads));
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            return new WorkerProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker", e);
        }
    }

    /** Sends a command and waits for its answer (a worker answers commands in order). */
    synchronized JsonNode ask(Object command) {
        commands.println(HeraldRest.write(command));
        commands.flush();
        try {
            String line = replies.readLine();
            if (line == null) {
                throw new IllegalStateException("worker " + process.pid() + " exited (" + exitText() + ")");
            }
            return HeraldRest.read(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time this worker has used so far, in seconds. */
    double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private String exitText() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "exit " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.println("{\"cmd\":\"quit\"}");
                commands.flush();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
