package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PublishLimitsTest {

    @RegisterExtension
    static final HeraldServer requestLimited = new HeraldServer(Map.of(
            "herald.publish.requests-per-second", 2));

    @RegisterExtension
    static final HeraldServer volumeLimited = new HeraldServer(Map.of(
            "herald.publish.notifications-per-second", 10,
            "herald.publish.max-recipients", 30));

    @Test
    void publisherOverTheRequestRateGets429WithRetryAfterAndTheRefusedRequestStoresNothing() throws Exception {
        Api api = requestLimited.api();
        api.createUser("hasty", "publisher");
        api.createUser("patient", "publisher");
        api.createUser("reader");
        String hasty = api.login("hasty", Api.PASSWORD);

        List<Api.Response> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(api.publish(hasty, Map.of("username", "reader", "type", "t", "title", "n" + i)));
        }

        List<Api.Response> refused = responses.stream().filter(r -> r.status() == 429).toList();
        long created = responses.stream().filter(r -> r.status() == 201).count();
        assertThat(refused).isNotEmpty();
        assertThat(created + refused.size()).isEqualTo(10);
        assertThat(refused.getFirst().raw().headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 2L));
        assertThat((String) refused.getFirst().json().get("detail")).contains("2 publish requests per second");
        assertThat(storedFor(requestLimited, "reader")).isEqualTo(created);

        Api.Response otherCaller = api.publish(api.login("patient", Api.PASSWORD),
                Map.of("username", "reader", "type", "t", "title", "unaffected"));
        assertThat(otherCaller.status()).isEqualTo(201);
    }

    @Test
    void invalidTopicMessagesTakeNothingFromThePublishersRequestRate() {
        Api api = requestLimited.api();
        api.createUser("careless", "publisher");
        String careless = api.login("careless", Api.PASSWORD);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(api.post("/api/topics/limits/messages", careless, Map.of("type", "t")).status());
        }
        Api.Response valid = api.post("/api/topics/limits/messages", careless, Map.of("type", "t", "title", "fine"));

        assertThat(statuses).containsOnly(400);
        assertThat(valid.status()).as(valid.body()).isEqualTo(201);
    }

    @Test
    void publisherOverTheNotificationRateGets429AndNothingOfThatRequestIsStored() throws Exception {
        Api api = volumeLimited.api();
        api.createUser("mass-mailer", "publisher");
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            api.createUser("reader-" + i);
            readers.add("reader-" + i);
        }
        String token = api.login("mass-mailer", Api.PASSWORD);

        Api.Response first = api.publish(token, Map.of("usernames", readers, "type", "t", "title", "first"));
        Api.Response second = api.publish(token, Map.of("usernames", readers, "type", "t", "title", "second"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(429);
        assertThat(second.raw().headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3L));
        for (String reader : readers) {
            assertThat(storedFor(volumeLimited, reader)).isEqualTo(1);
        }
    }

    private static long storedFor(HeraldServer herald, String username) throws SQLException {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = ?")) {
            query.setString(1, username);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
