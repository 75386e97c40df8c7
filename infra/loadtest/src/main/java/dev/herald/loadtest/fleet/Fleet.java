package dev.herald.loadtest.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.loadtest.rest.BenchUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The load generator's connections, spread over worker processes, and what they received.
 * Connections from one worker come from several 127.0.0.x source addresses.
 */
public final class Fleet implements AutoCloseable {

    private final List<WorkerProcess> workers;

    private Fleet(List<WorkerProcess> workers) {
        this.workers = workers;
    }

    /** Starts enough workers for {@code connections}, at most {@code perWorker} each. */
    public static Fleet start(int connections, int perWorker) {
        int count = Math.max(1, (connections + perWorker - 1) / perWorker);
        Path logs;
        try {
            logs = Files.createTempDirectory("herald-loadtest-workers-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<CompletableFuture<WorkerProcess>> starting = IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> WorkerProcess.start(1, "768m", logs.resolve("worker-" + i + ".log"))))
                .toList();
        return new Fleet(starting.stream().map(CompletableFuture::join).toList());
    }

    public record ConnectOutcome(int connected, int failed, Duration elapsed, String firstFailure) {

        public double perSecond() {
            return connected / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /**
     * One connection per user, all workers handshaking at once, each at most {@code concurrency} at a time;
     * with a {@code topic} (or null), each subscribes to it and counts as connected once subscribed.
     */
    public ConnectOutcome connect(URI webSocketUrl, List<BenchUser> users, int sourceAddresses, int concurrency,
                                  String topic) {
        List<String> sources = IntStream.rangeClosed(2, 1 + sourceAddresses).mapToObj(i -> "127.0.0." + i).toList();
        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            List<String> tokens = new ArrayList<>();
            for (int u = w; u < users.size(); u += workers.size()) {
                tokens.add(users.get(u).token());
            }
            Map<String, Object> command = new HashMap<>(Map.of("cmd", "connect", "url", webSocketUrl.toString(),
                    "tokens", tokens, "sources", sources, "concurrency", concurrency));
            command.put("topic", topic);
            WorkerProcess worker = workers.get(w);
            replies.add(CompletableFuture.supplyAsync(() -> worker.ask(command)));
        }
        int connected = 0;
        int failed = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        String firstFailure = "";
        for (CompletableFuture<JsonNode> future : replies) {
            JsonNode reply = future.join();
            connected += reply.path("connected").asInt();
            failed += reply.path("failed").asInt();
            start = Math.min(start, reply.path("startNanos").asLong());
            end = Math.max(end, reply.path("endNanos").asLong());
            if (firstFailure.isEmpty()) {
                firstFailure = reply.path("firstFailure").asText();
            }
        }
        return new ConnectOutcome(connected, failed, Duration.ofNanos(Math.max(0, end - start)), firstFailure);
    }

    /** What arrived since the previous report (or since the connections opened). */
    public DeliveryTally report() {
        DeliveryTally tally = new DeliveryTally();
        for (JsonNode reply : askAll(worker -> Map.of("cmd", "report"))) {
            Map<Integer, Long> codes = new HashMap<>();
            reply.path("closeCodes").properties().forEach(e -> codes.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            byte[] encoded = Base64.getDecoder().decode(reply.path("histogram").asText());
            Histogram histogram;
            try {
                histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0);
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("bad histogram from a worker", e);
            }
            tally.add(reply.path("open").asLong(), reply.path("delivered").asLong(), reply.path("stalledDelivered").asLong(),
                    reply.path("duplicates").asLong(), reply.path("gaps").asLong(), reply.path("errors").asLong(),
                    reply.path("pings").asLong(), codes, reply.path("lastDeliveryNanos").asLong(), histogram);
        }
        return tally;
    }

    /**
     * Reports until {@code expected} deliveries (to reading clients) have arrived, or nothing new came for
     * {@code quiet}; returns the sum. Starts from {@code sofar} (an earlier report of the same phase).
     */
    public DeliveryTally awaitDeliveries(long expected, Duration quiet, DeliveryTally sofar) {
        DeliveryTally total = sofar;
        long lastProgress = System.nanoTime();
        while (total.delivered() < expected && System.nanoTime() - lastProgress < quiet.toNanos()) {
            sleep(Duration.ofMillis(50));
            DeliveryTally interval = report();
            if (interval.delivered() + interval.stalledDelivered() > 0) {
                lastProgress = System.nanoTime();
            }
            total.addInterval(interval);
        }
        return total;
    }

    /** A sample of what the reading clients received since the previous call, and starts sampling afresh. */
    public Receipts receipts() {
        List<Receipts.WorkerSample> samples = new ArrayList<>();
        for (JsonNode reply : askAll(worker -> Map.of("cmd", "receipts"))) {
            JsonNode micros = reply.path("receivedMicros");
            long[] receivedMicros = new long[micros.size()];
            for (int i = 0; i < receivedMicros.length; i++) {
                receivedMicros[i] = micros.get(i).asLong();
            }
            List<String> ids = new ArrayList<>(receivedMicros.length);
            reply.path("ids").forEach(id -> ids.add(id.asText()));
            samples.add(new Receipts.WorkerSample(ids, receivedMicros, reply.path("seen").asLong()));
        }
        return Receipts.union(samples, ThreadLocalRandom.current());
    }

    /**
     * Every {@code every}-th connection of each worker stops reading; returns the positions, in the users
     * {@link #connect} was given, of those that did.
     */
    public List<Integer> stall(int every) {
        List<JsonNode> replies = askAll(worker -> Map.of("cmd", "stall", "every", every));
        List<Integer> stalled = new ArrayList<>();
        for (int w = 0; w < replies.size(); w++) {
            for (JsonNode position : replies.get(w).path("stalled")) {
                stalled.add(w + position.asInt() * workers.size()); // connect deals the users out in turn
            }
        }
        stalled.sort(null);
        return stalled;
    }

    private List<JsonNode> askAll(Function<WorkerProcess, Object> command) {
        List<CompletableFuture<JsonNode>> replies = workers.stream()
                .map(worker -> CompletableFuture.supplyAsync(() -> worker.ask(command.apply(worker)))).toList();
        return replies.stream().map(CompletableFuture::join).toList();
    }

    /** CPU time the load generator has used so far: this process and every worker, in seconds. */
    public double generatorCpuSeconds() {
        double own = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        return own + workers.stream().mapToDouble(WorkerProcess::cpuSeconds).sum();
    }

    public int workers() {
        return workers.size();
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
    }
}
