package dev.herald.desktop.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleFromHalfTheBaseUpToTheCapWithNoJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
        assertThat(IntStream.range(0, 8).mapToObj(backoff::delay).map(Duration::toMillis))
                .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L, 15_000L);
    }

    @Test
    void fullJitterReachesTheWholeStepButNeverTheCapExceeded() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999_999);
        assertThat(backoff.delay(0)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(7_999), Duration.ofSeconds(8));
        assertThat(backoff.delay(40)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
    }

    @Test
    void seededJitterIsRepeatableAndStaysInEachStepsUpperHalf() {
        Backoff first = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(42)::nextDouble);
        Backoff second = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(42)::nextDouble);
        for (int attempt = 0; attempt < 10; attempt++) {
            Duration delay = first.delay(attempt);
            assertThat(delay).isEqualTo(second.delay(attempt));
            long step = Math.min(60_000L, 1_000L << attempt);
            assertThat(delay.toMillis()).isBetween(step / 2, step);
        }
    }
}
