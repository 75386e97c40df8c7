package dev.herald.fanout;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Whether this node hears the other nodes' changes, in {@code /health}. Not in readiness: a deaf node still
 * serves, and its devices get other nodes' publishes with the periodic catch-up; when every node is deaf at
 * once (a pooler in front of PostgreSQL that cannot carry LISTEN, say), taking them all out would turn slow
 * delivery into an outage. So the status is DEGRADED, which answers 200 and tells a monitor.
 */
@Singleton
final class FanoutHealth implements HealthIndicator {

    static final HealthStatus DEGRADED = new HealthStatus("DEGRADED",
            "not hearing the other nodes: their changes arrive with the periodic catch-up", true, 500);

    private final Fanout fanout;

    FanoutHealth(Fanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("fanout", fanout.hearsOtherNodes() ? HealthStatus.UP : DEGRADED).build());
    }
}
