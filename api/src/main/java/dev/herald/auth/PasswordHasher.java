package dev.herald.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes. Passwords longer than bcrypt's 72 bytes are pre-hashed, not truncated. */
@Singleton
final class PasswordHasher {

    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private final int cost;
    /**
     * Compared against when the user does not exist, so that case costs as long as a wrong password. Made on
     * first use: a hash at full cost is a quarter of a second, which a start-up should not spend.
     */
    private volatile String decoyHash;

    PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
    }

    String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    boolean matches(String password, String hash) {
        return verifyer.verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time a real verification would, for an unknown user. Always false. */
    boolean matchesNothing(String password) {
        matches(password, decoyHash());
        return false;
    }

    private String decoyHash() {
        String decoy = decoyHash;
        if (decoy == null) {
            synchronized (this) {
                if (decoyHash == null) {
                    decoyHash = hash("decoy password that matches nothing");
                }
                decoy = decoyHash;
            }
        }
        return decoy;
    }
}
