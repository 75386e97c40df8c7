package dev.herald.fanout;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

/**
 * Fan-out events this node dropped, read at each scrape. The fan-out is looked up then, not when the meter
 * registry binds its meters: making it needs the data source, whose pool metrics need the registry.
 */
@Singleton
final class FanoutMeters implements MeterBinder {

    private final BeanProvider<Fanout> fanout;

    FanoutMeters(BeanProvider<Fanout> fanout) {
        this.fanout = fanout;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("herald.fanout.events.dropped", this, FanoutMeters::dropped)
                .description("Fan-out events this node did not send to the others: its queue was full, or the"
                        + " transport could never carry them")
                .register(meters);
    }

    private double dropped() {
        return fanout.get() instanceof CrossNodeFanout crossNode ? crossNode.droppedEvents() : 0;
    }
}
