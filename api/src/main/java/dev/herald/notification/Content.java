package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * What a notification says, checked and encoded once however many recipients get it. {@code digest} is the
 * SHA-256 of its canonical JSON (object keys sorted), from which each recipient's request fingerprint is
 * made: what tells an idempotent replay from a different request under the same key. Content published
 * without a key has no digest.
 */
record Content(String type, String title, String message, Map<String, Object> data, String dataJson,
               int priority, List<String> tags, @Nullable byte[] digest) {

    /** The fingerprint of this content sent to one recipient: 40 bytes hashed, not the whole content again. */
    byte[] fingerprintFor(long recipient) {
        if (digest == null) {
            throw new IllegalStateException("Content made without a digest cannot be fingerprinted: it had no key");
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(recipient).array());
            return sha256.digest(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
