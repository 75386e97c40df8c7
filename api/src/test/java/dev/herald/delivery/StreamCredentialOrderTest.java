package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.SseClient;
import dev.herald.TestPublisher;
import dev.herald.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The brief's order of stream credentials, the same on every stream transport: an {@code Authorization:
 * Bearer} header, else a one-time ticket, else a token in the query. The most preferred one present decides.
 */
class StreamCredentialOrderTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static TestPublisher publisher;

    @BeforeAll
    static void createPublisher() {
        api = herald.api();
        publisher = TestPublisher.on(api, "cred-");
    }

    /** Opens a stream and says whose it is, or empty when it was refused with 401. */
    enum Transport {
        WEBSOCKET("/ws") {
            @Override
            OptionalLong open(String query, Map<String, String> headers) {
                try (WsClient socket = WsClient.connect(api, path + query, headers)) {
                    return OptionalLong.of(((Number) WsClient.payload(socket.next("connected")).get("userId")).longValue());
                } catch (WsClient.HandshakeRefused refused) {
                    assertThat(refused.status()).isEqualTo(401);
                    return OptionalLong.empty();
                }
            }
        },
        SSE("/api/sse") {
            @Override
            OptionalLong open(String query, Map<String, String> headers) {
                try (SseClient stream = SseClient.open(api, path + query, headers)) {
                    if (stream.status() == 401) {
                        return OptionalLong.empty();
                    }
                    assertThat(stream.status()).isEqualTo(200);
                    return OptionalLong.of(((Number) stream.data(stream.next("connected")).get("userId")).longValue());
                }
            }
        };

        final String path;

        Transport(String path) {
            this.path = path;
        }

        abstract OptionalLong open(String query, Map<String, String> headers);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTicketIsPreferredToATokenInTheQuery(Transport transport) {
        Account gina = Account.create();
        Account hank = Account.create();

        assertThat(transport.open("?token=" + hank.token + "&ticket=" + gina.ticket(), Map.of()))
                .hasValue(gina.id);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBearerHeaderIsPreferredToBothAndABadOneIsRefusedWithoutSpendingTheTicket(Transport transport) {
        Account ivan = Account.create();
        Account judy = Account.create();
        String judysTicket = judy.ticket();

        assertThat(transport.open("?ticket=" + judysTicket, Map.of("Authorization", "Bearer not-a-token"))).isEmpty();
        assertThat(transport.open("?ticket=" + judysTicket + "&token=" + judy.token, bearer(ivan))).hasValue(ivan.id);
        assertThat(transport.open("?ticket=" + judysTicket, Map.of())).as("the ticket is still unspent").hasValue(judy.id);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSpentTicketIsRefusedRatherThanPassedOverForTheTokenBesideIt(Transport transport) {
        Account kate = Account.create();
        String ticket = kate.ticket();
        assertThat(transport.open("?ticket=" + ticket, Map.of())).hasValue(kate.id);

        assertThat(transport.open("?ticket=" + ticket + "&token=" + kate.token, Map.of())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAuthorizationHeaderOfAnotherSchemeIsAProxysAndLeavesTheTicketToDecide(Transport transport) {
        Account liam = Account.create();
        String basic = "Basic " + Base64.getEncoder().encodeToString("proxy:secret".getBytes(StandardCharsets.UTF_8));

        assertThat(transport.open("?ticket=" + liam.ticket(), Map.of("Authorization", basic))).hasValue(liam.id);
    }

    private static Map<String, String> bearer(Account account) {
        return Map.of("Authorization", "Bearer " + account.token);
    }

    private record Account(long id, String token) {

        static Account create() {
            String token = api.login(publisher.newUser(), Api.PASSWORD);
            return new Account(((Number) api.get("/api/users/me", token).json().get("id")).longValue(), token);
        }

        String ticket() {
            Api.Response issued = api.post("/api/ws/tickets", token, Map.of());
            assertThat(issued.status()).as(issued.body()).isEqualTo(201);
            return (String) issued.json().get("ticket");
        }
    }
}
