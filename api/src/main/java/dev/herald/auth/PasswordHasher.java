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
    /** Compared against when the user does not exist, so that case costs as long as a wrong password. */
    private final String decoyHash;

    PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = hash("decoy password that matches nothing");
    }

    String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    boolean matches(String password, String hash) {
        return verifyer.verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time a real verification would, for an unknown user. Always false. */
    boolean matchesNothing(String password) {
        matches(password, decoyHash);
        return false;
    }
}
