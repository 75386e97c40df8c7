package dev.herald.loadtest.scenario;

import dev.herald.loadtest.load.PlannedRequest;
import dev.herald.loadtest.load.RequestPlan;
import dev.herald.loadtest.rest.BenchUser;
import dev.herald.loadtest.rest.HeraldRest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The publish requests of the benchmark. Each carries its stamp in {@code data.t}: System.nanoTime of
 * its intended start (CLOCK_MONOTONIC, so comparable in every process on this host).
 */
final class Publications {

    static final String TYPE = "bench.delivery";

    private Publications() {
    }

    static Map<String, Object> notification(long userId, long stampNanos) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("type", TYPE);
        body.put("title", "Benchmark");
        body.put("message", "publish -> deliver");
        body.put("data", Map.of("t", stampNanos));
        return body;
    }

    /**
     * To random users among {@code recipients}: one per request through {@code POST /api/notifications},
     * or {@code batch} per request through {@code POST /api/notifications/batch} (one transaction each).
     */
    static RequestPlan toRandomUsers(String publisherToken, List<BenchUser> recipients, int batch) {
        if (batch <= 1) {
            return stamp -> PlannedRequest.post("/api/notifications", publisherToken,
                    HeraldRest.write(notification(random(recipients), stamp)));
        }
        return stamp -> {
            List<Map<String, Object>> items = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                items.add(notification(random(recipients), stamp));
            }
            return PlannedRequest.post("/api/notifications/batch", publisherToken, HeraldRest.write(items));
        };
    }

    /** One notification to every user (admin only): {@code "audience":"all"}, with the key a broadcast needs. */
    static PlannedRequest broadcast(String adminToken, long stampNanos, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("audience", "all");
        body.put("type", "bench.broadcast");
        body.put("title", "Benchmark broadcast");
        body.put("data", Map.of("t", stampNanos));
        return new PlannedRequest("/api/notifications", adminToken, HeraldRest.write(body),
                Map.of("Idempotency-Key", idempotencyKey));
    }

    /** One message to every subscriber of {@code topic}: stored once, whatever their number. */
    static PlannedRequest topicMessage(String publisherToken, String topic, long stampNanos) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "bench.broadcast");
        body.put("title", "Benchmark broadcast");
        body.put("data", Map.of("t", stampNanos));
        return PlannedRequest.post("/api/topics/" + topic + "/messages", publisherToken, HeraldRest.write(body));
    }

    private static long random(List<BenchUser> recipients) {
        return recipients.get(ThreadLocalRandom.current().nextInt(recipients.size())).id();
    }
}
