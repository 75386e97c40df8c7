package dev.herald.loadtest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReceiptSampleTest {

    @Test
    void keepsEveryReceiptWhileUnderItsCapacity() {
        ReceiptSample sample = new ReceiptSample(10);
        for (int i = 0; i < 7; i++) {
            sample.offer("n" + i, System.nanoTime());
        }

        ReceiptSample.Taken taken = sample.take();
        assertThat(taken.ids()).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6");
        assertThat(taken.seen()).isEqualTo(7);
    }

    @Test
    void overItsCapacityKeepsAUniformSampleOfEverythingSeen() {
        ReceiptSample sample = new ReceiptSample(1_000);
        for (int i = 0; i < 100_000; i++) {
            sample.offer(Integer.toString(i), System.nanoTime());
        }

        ReceiptSample.Taken taken = sample.take();
        assertThat(taken.seen()).isEqualTo(100_000);
        assertThat(taken.ids()).hasSize(1_000).doesNotHaveDuplicates();
        // Uniform over 0..99,999: the mean is 50,000 with a standard error of about 900; a sample that kept the
        // first thousand (mean 500) or the last (99,500) is far outside.
        double mean = Arrays.stream(taken.ids()).mapToInt(Integer::parseInt).average().orElseThrow();
        assertThat(mean).isCloseTo(50_000, within(6_000.0));
        // and it reaches into every tenth of the stream
        assertThat(Arrays.stream(taken.ids()).mapToInt(id -> Integer.parseInt(id) / 10_000).distinct().count()).isEqualTo(10);
    }

    @Test
    void aReceiptIsTheWallClockInstantOfItsMonotonicReading() {
        ReceiptSample sample = new ReceiptSample(4);
        long before = epochMicros(Instant.now());
        sample.offer("now", System.nanoTime());
        sample.offer("a second ago", System.nanoTime() - 1_000_000_000L);
        long after = epochMicros(Instant.now());

        ReceiptSample.Taken taken = sample.take();
        assertThat(taken.receivedMicros()[0]).isBetween(before, after);
        assertThat(taken.receivedMicros()[1]).isBetween(before - 1_000_000, after - 1_000_000);
    }

    @Test
    void takingStartsAFreshSample() {
        ReceiptSample sample = new ReceiptSample(4);
        sample.offer("old", System.nanoTime());
        sample.take();
        sample.offer("new", System.nanoTime());

        ReceiptSample.Taken taken = sample.take();
        assertThat(taken.ids()).containsExactly("new");
        assertThat(taken.seen()).isEqualTo(1);
    }

    private static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
