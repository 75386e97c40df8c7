package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.Api;
import dev.herald.HeraldServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without HERALD_JWT_SECRET a node signs with a random secret of its own: tokens work, on this node only. */
class RandomJwtSecretTest {

    @RegisterExtension
    // The secret as shipped: HERALD_JWT_SECRET, which the test JVM does not set.
    static final HeraldServer herald = new HeraldServer(Map.of("herald.auth.jwt-secret", "${herald.jwt.secret}"));

    @Test
    void aNodeWithoutAConfiguredSecretSignsWithARandomOneThatItAccepts() throws Exception {
        Api api = herald.api();
        long id = api.createUser("solo");
        String token = api.login("solo", Api.PASSWORD);
        String secret = herald.bean(AuthConfig.class).jwtSecret();

        assertThat(api.get("/api/users/me", token).json()).containsEntry("username", "solo");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(HeraldServer.JWT_SECRET);
        assertThat(SignedJWT.parse(token).verify(new MACVerifier(
                secret.getBytes(StandardCharsets.UTF_8)))).as("signed with exactly that secret").isTrue();
        assertThat(api.get("/api/users/me", signedWith(HeraldServer.JWT_SECRET, id)).status()).isEqualTo(401);
    }

    private static String signedWith(String secret, long userId) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("solo").issuer("herald").claim("uid", userId)
                .claim("roles", List.of("user")).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
