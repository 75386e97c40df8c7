package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.herald.Api;
import dev.herald.HeraldServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Switching on an identity provider's JWKS URL makes Herald accept that provider's tokens too. */
class ExternalIdentityProviderTest {

    static final RSAKey IDP_KEY = generateKey();
    static final HttpServer JWKS = serveJwks();

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer(Map.of(
            "micronaut.security.token.jwt.signatures.jwks.idp.url",
            "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json"));
    static Api api;
    static long aliceId;

    @BeforeAll
    static void createUser() {
        api = herald.api();
        aliceId = api.createUser("alice");
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop(0);
    }

    @Test
    void tokenOfTheIdentityProviderIsAcceptedForTheUserItNames() throws Exception {
        Api.Response me = api.get("/api/users/me", idpToken("alice", 999));

        assertThat(me.status()).isEqualTo(200);
        assertThat(((Number) me.json().get("id")).longValue())
                .as("the user is looked up by name; the provider's uid claim is not trusted as a Herald id")
                .isEqualTo(aliceId);
    }

    @Test
    void tokenOfTheIdentityProviderForAnUnknownUserGets401() throws Exception {
        assertThat(api.get("/api/users/me", idpToken("stranger", null)).status()).isEqualTo(401);
    }

    @Test
    void heraldsOwnTokensStillWork() {
        assertThat(api.get("/api/users/me", api.login("alice", Api.PASSWORD)).status()).isEqualTo(200);
    }

    private static String idpToken(String subject, Integer uid) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("https://idp.example.org")
                .claim("roles", List.of("user"))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
        if (uid != null) {
            claims.claim("uid", uid);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(IDP_KEY.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(IDP_KEY));
        return jwt.serialize();
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serveJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
