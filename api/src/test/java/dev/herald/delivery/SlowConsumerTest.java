package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A consumer that stops reading, with queue limits small enough to reach in a test. */
class SlowConsumerTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.max-queued-messages", 64,
            "herald.delivery.max-queued-bytes", 256 * 1024,
            // No pings during the test: a stalled client that answers one only once it reads again races
            // the server's close (Micronaut closes TCP right after its close frame; the reply gets a reset).
            "herald.delivery.ping-interval", "10m"));
    static Api api;
    static String publisher;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        api.createUser("publisher", "publisher");
        api.createUser("slow");
        api.createUser("fast");
        publisher = api.login("publisher", Api.PASSWORD);
    }

    @Test
    void clientThatStopsReadingIsCutOffWith4008WhileOthersKeepReceiving() {
        String slowToken = api.login("slow", Api.PASSWORD);
        ConnectionRegistry registry = herald.bean(ConnectionRegistry.class);
        String fastToken = api.login("fast", Api.PASSWORD);
        WsClient stalled = WsClient.connect(api, "/ws", Map.of("Authorization", "Bearer " + slowToken), false);
        WsClient healthy = WsClient.withToken(api, slowToken);
        WsClient otherUser = WsClient.withToken(api, fastToken);
        long slowUserId = userIdOf(healthy);
        otherUser.next("connected");
        String bulky = "x".repeat(3000);

        int published = 0;
        long heapBefore = usedHeap();
        while (registry.connectionsOf(slowUserId).size() == 2 && published < 5000) {
            published++;
            api.publish(publisher, Map.of("username", "slow", "type", "bulk", "title", "n" + published, "message", bulky));
            api.publish(publisher, Map.of("username", "fast", "type", "bulk", "title", "n" + published));
        }
        long heapGrowth = usedHeap() - heapBefore;

        assertThat(registry.connectionsOf(slowUserId)).as("only the stalled connection was dropped").hasSize(1);
        assertThat(published).as("the stalled connection was cut off").isLessThan(5000);
        assertThat(heapGrowth).as("server heap stays bounded (bytes)").isLessThan(64L * 1024 * 1024);
        List<Long> healthySeqs = healthy.drain(Duration.ofMillis(500)).stream().map(WsClient::seq).toList();
        assertThat(healthySeqs).containsExactlyElementsOf(LongStream.rangeClosed(1, published).boxed().toList());
        assertThat(otherUser.drain(Duration.ofMillis(300))).hasSize(published);

        stalled.startReading();
        assertThat(stalled.awaitClose(Duration.ofSeconds(20)).code()).isEqualTo(4008);
        healthy.close();
        otherUser.close();
    }

    @Test
    void aBatchLargerThanTheQueueBoundReachesAReadingClientWhole() {
        api.createUser("batch-reader");
        WsClient reader = WsClient.withToken(api, api.login("batch-reader", Api.PASSWORD));
        reader.next("connected");
        List<Map<String, Object>> batch = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> Map.<String, Object>of("username", "batch-reader", "type", "bulk", "title", "b" + i))
                .toList();

        assertThat(api.post("/api/notifications/batch", publisher, batch).status()).isEqualTo(201);

        List<Map<String, Object>> received = reader.drain(Duration.ofMillis(1500));
        assertThat(reader.isClosed()).as("100 at once is over the bound of 64, but the client reads").isFalse();
        assertThat(received.stream().map(WsClient::seq).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        reader.close();
    }

    @Test
    void aResumedBacklogLargerThanTheQueueBoundLeavesRoomForLiveNotifications() throws Exception {
        api.createUser("resumer");
        String bulky = "y".repeat(3000);
        for (int request = 0; request < 10; request++) {
            List<Map<String, Object>> batch = IntStream.rangeClosed(1, 100)
                    .mapToObj(i -> Map.<String, Object>of("username", "resumer", "type", "bulk", "title", "r", "message", bulky))
                    .toList();
            assertThat(api.post("/api/notifications/batch", publisher, batch).status()).isEqualTo(201);
        }
        ExecutorService live = Executors.newSingleThreadExecutor();
        try {
            // 1,000 stored (3 MB against a bound of 256 KB and 64 messages), then 20 live ones while it replays.
            WsClient resumed = WsClient.connect(api, "/ws?since=0",
                    Map.of("Authorization", "Bearer " + api.login("resumer", Api.PASSWORD)));
            Future<?> published = live.submit(() -> {
                for (int i = 1; i <= 20; i++) {
                    api.publish(publisher, Map.of("username", "resumer", "type", "live", "title", "l" + i));
                }
            });
            published.get(30, TimeUnit.SECONDS);

            List<Long> seqs = resumed.drain(Duration.ofMillis(1500)).stream()
                    .filter(message -> "notification".equals(message.get("type"))).map(WsClient::seq).toList();
            assertThat(resumed.isClosed()).as("closed with " + (resumed.isClosed() ? resumed.awaitClose(Duration.ZERO) : null))
                    .isFalse();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 1020).boxed().toList());
            resumed.close();
        } finally {
            live.shutdownNow();
        }
    }

    private static long userIdOf(WsClient client) {
        return ((Number) WsClient.payload(client.next("connected")).get("userId")).longValue();
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
