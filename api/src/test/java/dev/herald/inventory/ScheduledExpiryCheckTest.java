package dev.herald.inventory;

import static dev.herald.WsClient.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScheduledExpiryCheckTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "herald.inventory.scheduled-checks", true,
            "herald.inventory.expiry-check-cron", "* * * * * *")); // every second

    @Test
    void theScheduleNotifiesAnExpiredProductWithoutBeingAskedAndOnlyOnce() {
        Api api = herald.api();
        api.createUser("forgetful");
        String token = api.login("forgetful", Api.PASSWORD);
        try (WsClient device = WsClient.withToken(api, token)) {
            device.next("connected");

            api.post("/api/products", token, Map.of("name", "Old milk", "expiryDate", Instant.now().minusSeconds(60).toString()));

            Map<String, Object> notice = payload(device.next(message -> "notification".equals(message.get("type")),
                    Duration.ofSeconds(15)));
            assertThat(notice).containsEntry("type", "product_expiration").containsEntry("message", "Product Old milk has expired");
            assertThat(device.drain(Duration.ofSeconds(3))).as("later runs send nothing more").isEmpty();
            assertThat(herald.bean(ScheduledExpiryCheck.class)).isNotNull();
        }
    }
}
