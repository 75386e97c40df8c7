package dev.herald.loadtest.load;

/** Makes the next request of a load; {@code stampNanos} (System.nanoTime of its intended start) goes into it. */
@FunctionalInterface
public interface RequestPlan {

    PlannedRequest next(long stampNanos);
}
