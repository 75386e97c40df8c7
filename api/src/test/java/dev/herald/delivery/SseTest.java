package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import dev.herald.SseClient;
import dev.herald.SseClient.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SseTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.delivery.ping-interval", "1s",
            "herald.delivery.pong-timeout", "2s",
            "herald.delivery.sweep-interval", "200ms"));
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "sse-");
    }

    @Test
    void everyEventCarriesTheSeqAsIdItsTypeAsNameAndJsonData() {
        String alice = publisher.newUser();
        publisher.publish(alice, "before");
        try (SseClient stream = SseClient.withToken(api, api.login(alice, Api.PASSWORD))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(stream.response().headers().firstValue("cache-control")).hasValue("no-cache");

            SseEvent connected = stream.next();
            assertThat(connected.event()).isEqualTo("connected");
            assertThat(connected.id()).as("the cursor, so that a reconnect resumes from it").isEqualTo("1");
            assertThat(connected.retry()).isEqualTo(3000L);
            assertThat(stream.data(connected)).containsEntry("cursor", 1).containsKeys("userId", "connectionId");

            publisher.publish(alice, "second");
            publisher.publish(alice, "third");
            SseEvent second = stream.next();
            SseEvent third = stream.next();

            assertThat(second.event()).isEqualTo("notification");
            assertThat(second.id()).isEqualTo("2");
            assertThat(stream.data(second)).containsEntry("seq", 2).containsEntry("title", "second")
                    .containsKeys("id", "type", "message", "data", "priority", "tags", "createdAt", "readAt");
            assertThat(third.id()).isEqualTo("3");
            assertThat(stream.data(third)).containsEntry("title", "third");
        }
    }

    @Test
    void lastEventIdResumesWithNoGapAndNoDuplicate() {
        String bob = publisher.newUser();
        String token = api.login(bob, Api.PASSWORD);
        List<Long> seen = new ArrayList<>();
        String lastId;
        try (SseClient stream = SseClient.withToken(api, token)) {
            stream.next("connected");
            publisher.publish(bob, "one");
            publisher.publish(bob, "two");
            seen.add(seqOf(stream, stream.next("notification")));
            SseEvent two = stream.next("notification");
            seen.add(seqOf(stream, two));
            lastId = two.id();
        }
        for (int i = 3; i <= 7; i++) {
            publisher.publish(bob, "missed " + i);
        }

        try (SseClient resumed = SseClient.open(api, "/api/sse",
                Map.of("Authorization", "Bearer " + token, "Last-Event-ID", lastId))) {
            assertThat(resumed.next().event()).isEqualTo("connected");
            SseEvent event;
            while (!(event = resumed.next()).event().equals("replayed")) {
                seen.add(seqOf(resumed, event));
            }
            assertThat(resumed.data(event)).containsEntry("from", 2).containsEntry("to", 7);
            publisher.publish(bob, "live");
            seen.add(seqOf(resumed, resumed.next("notification")));
        }

        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void reconnectWithoutAnyNotificationSeenStillResumesFromTheConnectedId() {
        String carol = publisher.newUser();
        String token = api.login(carol, Api.PASSWORD);
        String connectedId;
        try (SseClient stream = SseClient.withToken(api, token)) {
            connectedId = stream.next("connected").id();
        }
        publisher.publish(carol, "while away");

        try (SseClient resumed = SseClient.open(api, "/api/sse",
                Map.of("Authorization", "Bearer " + token, "Last-Event-ID", connectedId))) {
            SseEvent missed = resumed.next("notification");
            assertThat(resumed.data(missed)).containsEntry("title", "while away");
        }
    }

    @Test
    void sinceResumesAndLastEventIdWinsOverIt() {
        String dave = publisher.newUser();
        for (int i = 1; i <= 4; i++) {
            publisher.publish(dave, "n" + i);
        }
        String token = api.login(dave, Api.PASSWORD);
        try (SseClient bySince = SseClient.open(api, "/api/sse?since=2", Map.of("Authorization", "Bearer " + token))) {
            assertThat(seqOf(bySince, bySince.next("notification"))).isEqualTo(3);
        }
        // A reconnecting EventSource repeats its original URL and adds the header: the header is newer.
        try (SseClient both = SseClient.open(api, "/api/sse?since=0",
                Map.of("Authorization", "Bearer " + token, "Last-Event-ID", "3"))) {
            assertThat(seqOf(both, both.next("notification"))).isEqualTo(4);
        }
    }

    @Test
    void unauthorizedRequestGets401AndNoStream() {
        try (SseClient anonymous = SseClient.open(api, "/api/sse", Map.of())) {
            assertThat(anonymous.status()).isEqualTo(401);
        }
        try (SseClient forged = SseClient.open(api, "/api/sse?token=not-a-token", Map.of())) {
            assertThat(forged.status()).isEqualTo(401);
        }
        try (SseClient spent = SseClient.open(api, "/api/sse?ticket=made-up", Map.of())) {
            assertThat(spent.status()).isEqualTo(401);
        }
    }

    @Test
    void aTicketOrATokenInTheQueryAuthenticatesAStream() {
        String erin = publisher.newUser();
        String token = api.login(erin, Api.PASSWORD);
        String ticket = (String) api.post("/api/ws/tickets", token, Map.of()).json().get("ticket");
        try (SseClient byTicket = SseClient.open(api, "/api/sse?ticket=" + ticket, Map.of())) {
            assertThat(byTicket.status()).isEqualTo(200);
            assertThat(byTicket.next().event()).isEqualTo("connected");
        }
        try (SseClient again = SseClient.open(api, "/api/sse?ticket=" + ticket, Map.of())) {
            assertThat(again.status()).as("a ticket works once").isEqualTo(401);
        }
        try (SseClient byToken = SseClient.open(api, "/api/sse?token=" + token, Map.of())) {
            assertThat(byToken.status()).isEqualTo(200);
        }
    }

    @Test
    void badResumePointIs400AndOpensNothing() {
        String frank = publisher.newUser();
        String token = api.login(frank, Api.PASSWORD);
        try (SseClient bad = SseClient.open(api, "/api/sse", Map.of("Authorization", "Bearer " + token,
                "Last-Event-ID", "yesterday"))) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorBody()).contains("Last-Event-ID");
        }
        try (SseClient negative = SseClient.open(api, "/api/sse?since=-4", Map.of("Authorization", "Bearer " + token))) {
            assertThat(negative.status()).isEqualTo(400);
        }
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId(token))).isEmpty();
    }

    @Test
    void anIdleStreamGetsHeartbeatCommentsAndStaysOpen() throws Exception {
        String grace = publisher.newUser();
        try (SseClient stream = SseClient.withToken(api, api.login(grace, Api.PASSWORD))) {
            stream.next("connected");
            Thread.sleep(4_000); // past ping interval + pong timeout: a one-way stream is not dropped for silence

            assertThat(stream.comments()).isGreaterThanOrEqualTo(2);
            publisher.publish(grace, "still here");
            assertThat(stream.data(stream.next("notification"))).containsEntry("title", "still here");
        }
    }

    @Test
    void aStreamOfOneUserCarriesNothingOfAnother() {
        String heidi = publisher.newUser();
        String ivan = publisher.newUser();
        try (SseClient heidis = SseClient.withToken(api, api.login(heidi, Api.PASSWORD));
             SseClient ivans = SseClient.withToken(api, api.login(ivan, Api.PASSWORD))) {
            heidis.next("connected");
            ivans.next("connected");
            publisher.publish(heidi, "for heidi only");

            assertThat(heidis.data(heidis.next("notification"))).containsEntry("title", "for heidi only");
            assertThat(ivans.drain(500)).isEmpty();
        }
    }

    @Test
    void aClientThatLeavesIsForgotten() throws Exception {
        String judy = publisher.newUser();
        String token = api.login(judy, Api.PASSWORD);
        long userId = userId(token);
        SseClient stream = SseClient.withToken(api, token);
        stream.next("connected");
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId)).hasSize(1);

        stream.close();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!herald.bean(ConnectionRegistry.class).connectionsOf(userId).isEmpty()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId)).isEmpty();
    }

    @Test
    void theServerEndingAStreamSaysWhyInACloseEvent() {
        String ken = publisher.newUser();
        String token = api.login(ken, Api.PASSWORD);
        try (SseClient stream = SseClient.withToken(api, token)) {
            stream.next("connected");
            herald.bean(ConnectionRegistry.class).connectionsOf(userId(token))
                    .forEach(connection -> connection.close(CloseCodes.GOING_AWAY, "Server going away"));

            SseEvent close = stream.next("close");
            assertThat(stream.data(close)).containsEntry("code", 1001).containsEntry("reason", "Server going away");
            assertThat(stream.awaitEnd(Duration.ofSeconds(5))).isTrue();
        }
    }

    private static long seqOf(SseClient stream, SseEvent event) {
        assertThat(event.event()).isEqualTo("notification");
        long seq = ((Number) stream.data(event).get("seq")).longValue();
        assertThat(event.id()).isEqualTo(Long.toString(seq));
        return seq;
    }

    private static long userId(String token) {
        return ((Number) api.get("/api/users/me", token).json().get("id")).longValue();
    }

}
