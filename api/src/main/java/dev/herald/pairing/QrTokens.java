package dev.herald.pairing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed token a pairing's QR code shows. It carries a one-time code, never the pairing id, so a photo
 * of the screen does not let an onlooker listen for the device's tokens.
 *
 * <p>Its key is derived from the access-token secret for this purpose alone, and it has a type and audience
 * of its own: a QR token is no access token (the signature fails there) and an access token is no QR token.
 *
 * <p>The code is derived from the pairing id with a key of its own, so any replica can draw the same QR
 * code again from the id alone while only the code's hash is stored; without the secret the code looks
 * random and tells nothing of the id.
 */
@Singleton
final class QrTokens {

    static final String AUDIENCE = "herald-pairing";
    static final JOSEObjectType TYPE = new JOSEObjectType("herald-pairing-qr+jwt");

    private final String issuer;
    private final byte[] codeKey;
    private final JWSSigner signer;
    private final JWSVerifier verifier;

    QrTokens(@Property(name = "herald.auth.jwt-secret") String secret,
             @Property(name = "micronaut.security.token.jwt.claims-generator.issuer") String issuer) throws JOSEException {
        this.issuer = issuer;
        byte[] signingKey = hmac(secret.getBytes(StandardCharsets.UTF_8), "herald-pairing-qr");
        this.codeKey = hmac(secret.getBytes(StandardCharsets.UTF_8), "herald-pairing-code");
        this.signer = new MACSigner(signingKey);
        this.verifier = new MACVerifier(signingKey);
    }

    /** The one-time code of a pairing; its SHA-256 is what the pairing row keeps. */
    String codeOf(UUID pairingId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(codeKey, pairingId.toString()));
    }

    /** The same pairing and expiry always give the same token (HMAC signatures are deterministic). */
    String sign(UUID pairingId, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .jwtID(codeOf(pairingId))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            token.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("A QR token could not be signed", e);
        }
        return token.serialize();
    }

    /** The code of a genuine, unexpired QR token; empty for anything else. */
    Optional<String> codeIn(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())
                    || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            boolean valid = expiry != null && expiry.toInstant().isAfter(Instant.now())
                    && issuer.equals(claims.getIssuer())
                    && List.of(AUDIENCE).equals(claims.getAudience())
                    && claims.getJWTID() != null;
            return valid ? Optional.of(claims.getJWTID()) : Optional.empty();
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
