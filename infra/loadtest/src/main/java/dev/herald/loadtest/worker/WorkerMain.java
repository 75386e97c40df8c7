package dev.herald.loadtest.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A load-generator worker process: holds a share of the connections (one process may have at most about
 * 20,000 open files here) and answers the coordinator's commands, one JSON line in, one JSON line out.
 */
public final class WorkerMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        // Replies go to the real stdout; anything a library prints goes to stderr, so the channel stays clean.
        PrintStream replies = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        DeliveryStats stats = new DeliveryStats();
        try (Connector connector = new Connector(threads, stats);
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = commands.readLine()) != null) {
                JsonNode command = JSON.readTree(line);
                Map<String, Object> reply = new LinkedHashMap<>();
                switch (command.path("cmd").asText()) {
                    case "connect" -> {
                        Connector.Outcome outcome = connector.connect(URI.create(command.path("url").asText()),
                                strings(command.path("tokens")), strings(command.path("sources")),
                                command.path("concurrency").asInt(200),
                                command.hasNonNull("topic") ? command.path("topic").asText() : null);
                        reply.put("connected", outcome.connected());
                        reply.put("failed", outcome.failed());
                        reply.put("startNanos", outcome.startNanos());
                        reply.put("endNanos", outcome.endNanos());
                        reply.put("firstFailure", outcome.firstFailure());
                    }
                    case "report" -> report(stats.takeInterval(), reply);
                    case "receipts" -> {
                        ReceiptSample.Taken taken = stats.takeReceipts();
                        reply.put("ids", taken.ids());
                        reply.put("receivedMicros", taken.receivedMicros());
                        reply.put("seen", taken.seen());
                    }
                    case "stall" -> reply.put("stalled", connector.stall(command.path("every").asInt()));
                    case "quit" -> {
                        replies.println("{}");
                        return;
                    }
                    default -> reply.put("error", "unknown command " + command);
                }
                replies.println(JSON.writeValueAsString(reply));
            }
        }
    }

    private static void report(DeliveryStats.Interval interval, Map<String, Object> reply) {
        reply.put("open", interval.open());
        reply.put("delivered", interval.delivered());
        reply.put("stalledDelivered", interval.stalledDelivered());
        reply.put("duplicates", interval.duplicates());
        reply.put("gaps", interval.gaps());
        reply.put("errors", interval.errors());
        reply.put("pings", interval.pings());
        reply.put("closeCodes", interval.closeCodes());
        reply.put("lastDeliveryNanos", interval.lastDeliveryNanos());
        reply.put("histogram", encode(interval.latencyMicros()));
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
