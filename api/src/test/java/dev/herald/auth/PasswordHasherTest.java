package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(
            new AuthConfig("secret", null, Duration.ofMinutes(15), Duration.ofDays(30), 4, 0));

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = hasher.hash("correct horse");

        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsE", hash)).isFalse();
    }

    @Test
    void theDecoyForUnknownUsersMatchesNothingNotEvenItsOwnText() {
        assertThat(hasher.matchesNothing("decoy password that matches nothing")).isFalse();
        assertThat(hasher.matchesNothing("anything")).isFalse();
    }

    @Test
    void passwordsBeyondBcryptsSeventyTwoBytesAreNotTruncated() {
        String longPassword = "x".repeat(72);
        String hash = hasher.hash(longPassword + "a");

        assertThat(hasher.matches(longPassword + "a", hash)).isTrue();
        assertThat(hasher.matches(longPassword + "b", hash)).isFalse();
    }
}
