package dev.herald.fanout;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Whether this node hears the other nodes' changes and its own reach them, in {@code /health}. Not in
 * readiness: a deaf node still serves, and its devices get other nodes' publishes with the periodic
 * catch-up; a node whose messages fail keeps sending them until they go out. When every node is deaf at once
 * (a pooler in front of PostgreSQL that cannot carry LISTEN, say), taking them all out would turn slow
 * delivery into an outage. So the status is DEGRADED, which answers 200 and tells a monitor which it is.
 */
@Singleton
final class FanoutHealth implements HealthIndicator {

    static final HealthStatus DEGRADED = new HealthStatus("DEGRADED",
            "changes between this node and the others arrive late: publishes with the periodic catch-up", true, 500);

    private final Fanout fanout;

    FanoutHealth(Fanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean hears = fanout.hearsOtherNodes();
        boolean reaches = fanout.reachesOtherNodes();
        return Publishers.just(HealthResult.builder("fanout", hears && reaches ? HealthStatus.UP : DEGRADED)
                .details(Map.of("hearsOtherNodes", hears, "reachesOtherNodes", reaches)).build());
    }
}
