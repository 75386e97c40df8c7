package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.TestPublisher;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LongPollTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.delivery.max-poll-wait", "3s"));
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "poll-");
    }

    @Test
    void answersAtOnceWhenSomethingNewerIsStored() {
        String alice = publisher.newUser();
        for (int i = 1; i <= 3; i++) {
            publisher.publish(alice, "n" + i);
        }
        long started = System.nanoTime();
        Api.Response response = api.get("/api/notifications/poll?since=1&wait=3s", api.login(alice, Api.PASSWORD));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.items()).extracting(item -> item.get("seq")).containsExactly(2, 3);
        assertThat(response.items().getFirst()).containsEntry("title", "n2").containsKeys("id", "type", "createdAt", "readAt");
        assertThat(response.json()).containsEntry("cursor", 3);
        assertThat(took).as("it did not wait for the 3 s").isLessThan(2_500);
    }

    @Test
    void answersWhenANotificationArrives() throws Exception {
        String bob = publisher.newUser();
        publisher.publish(bob, "old");
        String token = api.login(bob, Api.PASSWORD);
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> api.get("/api/notifications/poll?since=1&wait=3s", token));
        Thread.sleep(500);
        assertThat(poll).as("nothing newer yet: still waiting").isNotDone();

        long published = System.nanoTime();
        publisher.publish(bob, "new");
        Api.Response response = poll.get(10, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);

        assertThat(response.items()).extracting(item -> item.get("title")).containsExactly("new");
        assertThat(response.json()).containsEntry("cursor", 2);
        assertThat(took).as("answered on arrival, not at the end of the wait").isLessThan(2_000);
    }

    @Test
    void answersAnEmptyListWhenTheWaitEnds() {
        String carol = publisher.newUser();
        publisher.publish(carol, "seen");
        long started = System.nanoTime();
        Api.Response response = api.get("/api/notifications/poll?since=1&wait=1s", api.login(carol, Api.PASSWORD));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.items()).isEmpty();
        assertThat(response.json()).containsEntry("cursor", 1);
        assertThat(took).isGreaterThanOrEqualTo(900);
    }

    @Test
    void theWaitIsCapped() {
        String dave = publisher.newUser();
        long started = System.nanoTime();
        Api.Response response = api.get("/api/notifications/poll?since=0&wait=10m", api.login(dave, Api.PASSWORD));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.items()).isEmpty();
        assertThat(took).as("cut to max-poll-wait (3 s)").isBetween(2_500L, 8_000L);
    }

    @Test
    void aLimitAnswersPartOfTheBacklogAndTheCursorContinuesIt() {
        String erin = publisher.newUser();
        for (int i = 1; i <= 5; i++) {
            publisher.publish(erin, "n" + i);
        }
        String token = api.login(erin, Api.PASSWORD);
        Api.Response first = api.get("/api/notifications/poll?since=0&limit=2", token);
        Api.Response rest = api.get("/api/notifications/poll?since=" + first.json().get("cursor") + "&limit=10", token);

        assertThat(first.items()).extracting(item -> item.get("seq")).containsExactly(1, 2);
        assertThat(first.json()).containsEntry("cursor", 2);
        assertThat(rest.items()).extracting(item -> item.get("seq")).containsExactly(3, 4, 5);
    }

    @Test
    void waitZeroStillReturnsWhatIsStored() {
        String frank = publisher.newUser();
        publisher.publish(frank, "there");
        Api.Response response = api.get("/api/notifications/poll?since=0&wait=0", api.login(frank, Api.PASSWORD));

        assertThat(response.items()).extracting(item -> item.get("title")).containsExactly("there");
    }

    @Test
    void badInputGets400NamingTheParameterAndLeavesNoConnection() {
        String grace = publisher.newUser();
        String token = api.login(grace, Api.PASSWORD);
        for (Map.Entry<String, String> bad : List.of(Map.entry("since", "since=-1"), Map.entry("since", "since=abc"),
                Map.entry("wait", "wait=soon"), Map.entry("wait", "wait=-5s"), Map.entry("limit", "limit=0"),
                Map.entry("limit", "limit=100000"))) {
            Api.Response response = api.get("/api/notifications/poll?" + bad.getValue(), token);
            assertThat(response.status()).as(bad.getValue()).isEqualTo(400);
            assertThat(response.body()).as(bad.getValue()).contains(bad.getKey());
        }
        long userId = ((Number) api.get("/api/users/me", token).json().get("id")).longValue();
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId)).isEmpty();
    }

    @Test
    void withoutATokenItIs401() {
        assertThat(api.get("/api/notifications/poll?since=0", null).status()).isEqualTo(401);
    }

    @Test
    void aPollSeesOnlyTheCallersNotifications() throws Exception {
        String heidi = publisher.newUser();
        String ivan = publisher.newUser();
        String ivansToken = api.login(ivan, Api.PASSWORD);
        CompletableFuture<Api.Response> ivansPoll = CompletableFuture.supplyAsync(
                () -> api.get("/api/notifications/poll?since=0&wait=1500ms", ivansToken));
        Thread.sleep(300);
        publisher.publish(heidi, "for heidi only");

        assertThat(ivansPoll.get(10, TimeUnit.SECONDS).items()).isEmpty();
        assertThat(api.get("/api/notifications/poll?since=0&wait=0", api.login(heidi, Api.PASSWORD)).items())
                .extracting(item -> item.get("title")).containsExactly("for heidi only");
    }

    @Test
    void aPollWithoutSinceThatCannotReadTheCursorAnswers503NotCursorZero() throws Exception {
        String kate = publisher.newUser();
        publisher.publish(kate, "n1");
        publisher.publish(kate, "n2");
        String token = api.login(kate, Api.PASSWORD);
        Api.Response failed;
        // The cursor cannot be read, as when the database fails: a cursor of 0 would make the client
        // fetch its whole history again as new on its next poll.
        try (Connection db = herald.db(); Statement statement = db.createStatement()) {
            statement.execute("ALTER TABLE notification_cursor RENAME TO notification_cursor_away");
            try {
                failed = api.get("/api/notifications/poll?wait=200ms", token);
            } finally {
                statement.execute("ALTER TABLE notification_cursor_away RENAME TO notification_cursor");
            }
        }

        assertThat(failed.status()).as(failed.body()).isEqualTo(503);
        assertThat((String) failed.json().get("detail")).contains("poll again");
        Api.Response again = api.get("/api/notifications/poll?wait=200ms", token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).containsEntry("cursor", 2);
    }

    @Test
    void anAnsweredPollLeavesNoConnectionBehind() throws Exception {
        String judy = publisher.newUser();
        String token = api.login(judy, Api.PASSWORD);
        long userId = ((Number) api.get("/api/users/me", token).json().get("id")).longValue();
        api.get("/api/notifications/poll?since=0&wait=200ms", token);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!herald.bean(ConnectionRegistry.class).connectionsOf(userId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(herald.bean(ConnectionRegistry.class).connectionsOf(userId)).isEmpty();
    }

}
