package dev.herald.loadtest.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReceiptsTest {

    private static Receipts.WorkerSample sample(String prefix, int size, long seen) {
        List<String> ids = IntStream.range(0, size).mapToObj(i -> prefix + i).toList();
        long[] micros = IntStream.range(0, size).mapToLong(i -> 1_000L + i).toArray();
        return new Receipts.WorkerSample(ids, micros, seen);
    }

    @Test
    void aWorkerThatSawLessIsThinnedToTheSameShareAsTheOthers() {
        // The first worker kept 100 of 1,000 deliveries (a tenth), the second all 100 of its 100.
        Receipts union = Receipts.union(List.of(sample("a", 100, 1_000), sample("b", 100, 100)), new Random(7));

        assertThat(union.seen()).isEqualTo(1_100);
        assertThat(union.receivedMicros().keySet().stream().filter(id -> id.startsWith("a"))).hasSize(100);
        assertThat(union.receivedMicros().keySet().stream().filter(id -> id.startsWith("b"))).hasSize(10);
    }

    @Test
    void everyKeptIdKeepsItsOwnInstant() {
        Receipts union = Receipts.union(List.of(sample("a", 50, 500), sample("b", 50, 50)), new Random(11));

        union.receivedMicros().forEach((id, micros) ->
                assertThat(micros).isEqualTo(1_000L + Integer.parseInt(id.substring(1))));
    }

    @Test
    void workersThatKeptEverythingAreKeptWhole() {
        Receipts union = Receipts.union(List.of(sample("a", 30, 30), sample("b", 20, 20), sample("c", 0, 0)), new Random(3));

        assertThat(union.receivedMicros()).hasSize(50);
        assertThat(union.seen()).isEqualTo(50);
    }
}
