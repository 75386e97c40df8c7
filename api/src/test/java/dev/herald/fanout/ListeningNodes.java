package dev.herald.fanout;

import dev.herald.HeraldServer;
import java.time.Duration;
import java.util.Map;

/** Nodes on one PostgreSQL with its fan-out, and their listening state, for tests that cut their connections. */
final class ListeningNodes {

    private ListeningNodes() {
    }

    /**
     * A node with the {@code postgres} fan-out on {@code database}. The periodic catch-up is an hour away, so
     * what a test sees came by NOTIFY (or by the catch-up after listening again, {@code reconnectDelay} later).
     */
    static HeraldServer node(String database, String reconnectDelay) {
        return new HeraldServer(Map.of("datasources.default.url", database,
                "herald.fanout.transport", "postgres",
                "herald.fanout.reconcile-interval", "1h",
                "herald.fanout.reconnect-delay", reconnectDelay));
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
