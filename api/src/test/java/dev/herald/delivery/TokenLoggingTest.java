package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Tokens and tickets in query strings, and pairing ids in paths, never reach the logs, even with the
 * access log switched on.
 */
class TokenLoggingTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of("herald.ops.access-log", true));

    @Test
    void accessLogRecordsStreamRequestsWithoutTheirTokens() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger accessLog = (Logger) LoggerFactory.getLogger("herald.access");
        accessLog.setLevel(ch.qos.logback.classic.Level.INFO);
        root.addAppender(captured);
        try {
            Api api = herald.api();
            api.createUser("logged");
            String token = api.login("logged", Api.PASSWORD);
            String ticket = (String) api.post("/api/ws/tickets", token, Map.of()).json().get("ticket");
            try (WsClient byToken = WsClient.connect(api, "/ws?token=" + token, Map.of());
                 WsClient byTicket = WsClient.connect(api, "/ws?ticket=" + ticket, Map.of())) {
                byToken.next("connected");
                byTicket.next("connected");
            }
            try {
                WsClient.connect(api, "/ws?token=not-valid-" + token.substring(0, 12), Map.of()).close();
            } catch (WsClient.HandshakeRefused expected) {
                // refused, as it should be
            }
            sleep(Duration.ofMillis(300));

            assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("GET /ws 101"))
                    .anySatisfy(line -> assertThat(line).contains("GET /ws 401"))
                    .noneSatisfy(line -> assertThat(line).contains(token.substring(0, 12)))
                    .noneSatisfy(line -> assertThat(line).contains(ticket));
        } finally {
            root.detachAppender(captured);
        }
    }

    @Test
    void accessLogMasksPairingIds() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger accessLog = (Logger) LoggerFactory.getLogger("herald.access");
        accessLog.setLevel(ch.qos.logback.classic.Level.INFO);
        accessLog.addAppender(captured);
        try {
            Api api = herald.api();
            String pairingId = (String) api.post("/api/pairings", null, Map.of()).json().get("pairingId");
            assertThat(api.get("/api/pairings/" + pairingId + "/qr.png", null).status()).isEqualTo(200);
            sleep(Duration.ofMillis(300));

            assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).contains("POST /api/pairings 201"))
                    .anySatisfy(line -> assertThat(line).contains("GET /api/pairings/…/qr.png 200"))
                    .noneSatisfy(line -> assertThat(line).contains(pairingId));
        } finally {
            accessLog.detachAppender(captured);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
