package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessTokenValidationTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;
    static long aliceId;

    @BeforeAll
    static void createUser() {
        api = herald.api();
        aliceId = api.createUser("alice");
    }

    @Test
    void tokenSignedWithTheServersSecretIsAccepted() throws Exception {
        String token = signed(claims(Instant.now().plus(Duration.ofMinutes(5))), HeraldServer.JWT_SECRET);

        assertThat(api.get("/api/users/me", token).status()).isEqualTo(200);
    }

    @Test
    void expiredTokenGets401() throws Exception {
        String token = signed(claims(Instant.now().minus(Duration.ofMinutes(5))), HeraldServer.JWT_SECRET);

        Api.Response response = api.get("/api/users/me", token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void tokenAcceptedBeforeItsExpiryGets401AfterIt() throws Exception {
        Instant expiry = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        String token = signed(claims(expiry), HeraldServer.JWT_SECRET);
        assertThat(api.get("/api/users/me", token).status()).isEqualTo(200);
        assertThat(herald.bean(ValidatedTokens.class).remembers(token)).isTrue();
        assertThat(api.get("/api/users/me", token).status()).as("again, now remembered as validated").isEqualTo(200);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 300);

        assertThat(api.get("/api/users/me", token).status()).as("validated tokens are not honoured past exp").isEqualTo(401);
    }

    @Test
    void tokenOfAWebSocketUpgradeIsNotRemembered() throws Exception {
        // An expiry no other test uses: tokens signed in the same second with the same claims are the same token.
        String token = signed(claims(Instant.now().plus(Duration.ofMinutes(7))), HeraldServer.JWT_SECRET);

        try (WsClient socket = WsClient.withToken(api, token)) {
            assertThat(socket.next("connected")).isNotNull();
        }

        assertThat(herald.bean(ValidatedTokens.class).remembers(token)).isFalse();
        assertThat(api.get("/api/users/me", token).status()).isEqualTo(200);
        assertThat(herald.bean(ValidatedTokens.class).remembers(token)).isTrue();
    }

    @Test
    void tokenSignedWithAnotherSecretGets401() throws Exception {
        String token = signed(claims(Instant.now().plus(Duration.ofMinutes(5))),
                "another-secret-that-is-also-long-enough-for-hs256");

        assertThat(api.get("/api/users/me", token).status()).isEqualTo(401);
        assertThat(herald.bean(ValidatedTokens.class).remembers(token)).isFalse();
    }

    @Test
    void unsignedAlgNoneTokenGets401() {
        String token = new PlainJWT(claims(Instant.now().plus(Duration.ofMinutes(5)))).serialize();

        assertThat(token).endsWith(".");
        assertThat(api.get("/api/users/me", token).status()).isEqualTo(401);
    }

    @Test
    void garbageTokenGets401() {
        assertThat(api.get("/api/users/me", "not-a-jwt").status()).isEqualTo(401);
    }

    private static JWTClaimsSet claims(Instant expiry) {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer("herald")
                .claim("uid", aliceId)
                .claim("roles", List.of("user"))
                .issueTime(Date.from(expiry.minus(Duration.ofMinutes(15))))
                .expirationTime(Date.from(expiry))
                .build();
    }

    private static String signed(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
