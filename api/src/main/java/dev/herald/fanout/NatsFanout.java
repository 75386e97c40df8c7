package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out over NATS, for deployments that already run it ({@code herald.fanout.transport=nats},
 * {@code herald.fanout.nats-url}). Core NATS keeps nothing for a node that was away, so after the client
 * reconnects the node catches every local connection up from the database, as it does periodically.
 */
@Singleton
@Requires(property = FanoutTransport.PROPERTY, value = "nats")
final class NatsFanout extends CrossNodeFanout implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(NatsFanout.class);

    private final FanoutConfig config;
    private final TaskScheduler scheduler;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile Connection nats;
    private ScheduledFuture<?> catchUps;
    /** When the connection to NATS was lost, until the catch-up after it is back. */
    private volatile Instant disconnectedAt;

    NatsFanout(LocalDelivery delivery, RemoteChanges remote, FanoutConfig config,
               @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        super(delivery, remote);
        this.config = config;
        this.scheduler = scheduler;
    }

    @Override
    void send(String payload) {
        nats.publish(config.channel(), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** jnats refuses, before sending, a payload over the server's {@code max_payload}: it would every time. */
    @Override
    boolean unsendable(Exception failure) {
        return failure instanceof IllegalArgumentException;
    }

    /** On the context's start, not the server's: a one-shot command (expiry-check) announces its changes too. */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        Options options = new Options.Builder()
                .server(config.natsUrl())
                .connectionName("herald")
                .maxReconnects(-1)
                .reconnectWait(config.reconnectDelay())
                .connectionListener((connection, type) -> {
                    if (type == ConnectionListener.Events.DISCONNECTED && disconnectedAt == null) {
                        // Heard up to about now: the client notices a closed connection at once (a silent
                        // one only by its pings, and reads before that are made good only by history).
                        disconnectedAt = Instant.now();
                    } else if (type == ConnectionListener.Events.RECONNECTED || type == ConnectionListener.Events.RESUBSCRIBED) {
                        LOG.info("NATS connection back ({}); catching up from the database", type);
                        Instant lastHeard = disconnectedAt;
                        disconnectedAt = null;
                        if (lastHeard == null) {
                            catchUp();
                        } else {
                            catchUpAfterDeafness(lastHeard);
                        }
                    }
                })
                .build();
        try {
            nats = Nats.connectReconnectOnConnect(options);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Could not connect to NATS at " + config.natsUrl(), e);
        }
        Dispatcher dispatcher = nats.createDispatcher(message ->
                received(new String(message.getData(), StandardCharsets.UTF_8)));
        dispatcher.subscribe(config.channel());
        subscriptions.incrementAndGet();
        startSending();
        catchUps = scheduler.scheduleWithFixedDelay(config.reconcileInterval(), config.reconcileInterval(), this::catchUp);
    }

    /** True once subscribed and connected. */
    @Override
    public boolean hearsOtherNodes() {
        return nats != null && nats.getStatus() == Connection.Status.CONNECTED && subscriptions.get() > 0;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (catchUps != null) {
            catchUps.cancel(false);
        }
        stopSending();
        if (nats != null) {
            nats.close();
        }
    }
}
