package dev.herald.loadtest.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A sample of the notifications the reading clients received during a phase: id -> wall-clock instant of
 * receipt in microseconds since the epoch, drawn uniformly from the {@code seen} deliveries of all workers.
 */
public record Receipts(Map<String, Long> receivedMicros, long seen) {

    /** One worker's sample: {@code ids[i]} arrived at {@code receivedMicros[i]}, drawn from {@code seen}. */
    record WorkerSample(List<String> ids, long[] receivedMicros, long seen) {
    }

    /**
     * The workers' samples as one. Each worker samples up to the same number from what it saw, so one that saw
     * more sampled a smaller share of it; every sample is thinned at random to the smallest share, so that the
     * union is uniform over all deliveries and no worker's connections weigh more than their deliveries.
     */
    static Receipts union(List<WorkerSample> samples, Random random) {
        double share = samples.stream().filter(sample -> sample.seen() > 0)
                .mapToDouble(sample -> sample.ids().size() / (double) sample.seen()).min().orElse(1);
        Map<String, Long> received = new HashMap<>();
        long seen = 0;
        for (WorkerSample sample : samples) {
            List<Integer> order = new ArrayList<>(IntStream.range(0, sample.ids().size()).boxed().toList());
            Collections.shuffle(order, random);
            int keep = (int) Math.min(sample.ids().size(), Math.round(share * sample.seen()));
            for (int i : order.subList(0, keep)) {
                received.put(sample.ids().get(i), sample.receivedMicros()[i]);
            }
            seen += sample.seen();
        }
        return new Receipts(Map.copyOf(received), seen);
    }
}
