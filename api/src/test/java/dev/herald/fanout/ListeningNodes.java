package dev.herald.fanout;

import dev.herald.HeraldServer;
import java.time.Duration;

/** The listening state of nodes' PostgreSQL fan-out, for tests that cut their listening connections. */
final class ListeningNodes {

    private ListeningNodes() {
    }

    /** Waits until every node listens. */
    static void awaitListening(HeraldServer... nodes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (HeraldServer node : nodes) {
            while (!node.bean(PostgresFanout.class).hearsOtherNodes()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("A node did not listen within 15 s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How many times the node started listening (and caught up). */
    static int listens(HeraldServer node) {
        return node.bean(PostgresFanout.class).listens();
    }
}
