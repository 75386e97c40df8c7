package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import dev.herald.notification.Notification;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out across the nodes that share one PostgreSQL, over LISTEN/NOTIFY. This node's own connections
 * get each change at once, in memory; the other nodes get ids and cursors, never bodies, batched: one
 * NOTIFY carries whatever queued up while the previous one was being sent, so under heavy publishing it
 * is one NOTIFY per batch, not per notification, and payloads stay well under PostgreSQL's 8,000 bytes.
 *
 * <p>Each node listens on a connection of its own. When it drops, the node listens again and then brings
 * every local connection up to its user's cursor from the database, so nothing published meanwhile is
 * lost; the same catch-up runs periodically, for a change whose NOTIFY never went out (its node died
 * between commit and send).
 */
@Singleton
@Requires(condition = FanoutTransport.Postgres.class)
final class PostgresFanout implements Fanout, ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresFanout.class);
    /** Well under NOTIFY's 8,000-byte limit. */
    static final int MAX_PAYLOAD = 7_000;
    /** Read ids per event: 36 characters each, so a piece always fits a payload. */
    private static final int MAX_IDS_PER_EVENT = 150;
    /** Queued events beyond this are dropped: the periodic catch-up delivers what they announced. */
    private static final int MAX_QUEUED = 100_000;

    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final LocalDelivery delivery;
    private final RemoteChanges remote;
    private final DataSource dataSource;
    private final DatasourceConfiguration database;
    private final FanoutConfig config;
    private final TaskScheduler scheduler;
    private final BlockingQueue<FanoutEvent> outbox = new LinkedBlockingQueue<>(MAX_QUEUED);
    private volatile boolean running;
    private volatile boolean listening;
    private final AtomicInteger listens = new AtomicInteger();
    private Thread sender;
    private Thread listener;
    private ScheduledFuture<?> catchUps;

    PostgresFanout(LocalDelivery delivery, RemoteChanges remote, DataSource dataSource, DataSourceResolver resolver,
                   @Named("default") DatasourceConfiguration database, FanoutConfig config,
                   @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.delivery = delivery;
        this.remote = remote;
        // The plain pool, not the transaction-aware proxy: NOTIFY runs outside any transaction.
        this.dataSource = resolver.resolve(dataSource);
        this.database = database;
        this.config = config;
        this.scheduler = scheduler;
    }

    // ---- outgoing -------------------------------------------------------------------------------------

    @Override
    public void published(List<Notification> notifications) {
        notifications.forEach(delivery::notification);
        notifications.forEach(n -> announce(new FanoutEvent.Published(n.userId(), n.seq())));
    }

    @Override
    public void read(long userId, List<UUID> ids) {
        delivery.read(userId, ids);
        FanoutEvent.splitToFit(new FanoutEvent.Read(userId, ids), MAX_IDS_PER_EVENT).forEach(this::announce);
    }

    @Override
    public void allRead(long userId, long upTo) {
        delivery.allRead(userId, upTo);
        announce(new FanoutEvent.AllRead(userId, upTo));
    }

    private void announce(FanoutEvent event) {
        if (!outbox.offer(event)) {
            LOG.warn("Fan-out queue full: dropped an event for user {}; the periodic catch-up delivers it", event.userId());
        }
    }

    private void send() {
        while (running || !outbox.isEmpty()) {
            try {
                FanoutEvent first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                StringBuilder payload = new StringBuilder(nodeId).append('\n').append(first.line());
                FanoutEvent next;
                while ((next = outbox.peek()) != null && payload.length() + 1 + next.line().length() <= MAX_PAYLOAD) {
                    payload.append('\n').append(outbox.poll().line());
                }
                notify(payload.toString());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Could not send a fan-out NOTIFY; the periodic catch-up delivers what it announced", e);
                pause();
            }
        }
    }

    private void notify(String payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, config.channel());
            statement.setString(2, payload);
            statement.execute();
        }
    }

    // ---- incoming -------------------------------------------------------------------------------------

    private void listen() {
        while (running) {
            // Not from the pool: a pool would take back a connection that died under getNotifications
            // (which it cannot see) and hand it to a request.
            try (Connection connection = DriverManager.getConnection(database.getUrl(), database.getUsername(),
                    database.getPassword())) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + config.channel()); // validated identifier
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                remote.catchUpAll(); // whatever was published while this node was not listening
                listening = true;
                listens.incrementAndGet();
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            received(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    LOG.warn("Fan-out listening connection lost; listening again in {}", config.reconnectDelay(), e);
                    pause();
                }
            }
        }
        listening = false;
    }

    private void received(String payload) {
        int end = payload.indexOf('\n');
        if (end < 0 || payload.substring(0, end).equals(nodeId)) {
            return; // this node's own: its connections had them at once
        }
        List<FanoutEvent> events = new ArrayList<>();
        for (String line : payload.substring(end + 1).split("\n")) {
            Optional<FanoutEvent> event = FanoutEvent.parse(line);
            if (event.isPresent()) {
                events.add(event.get());
            } else {
                LOG.debug("Skipped a fan-out line this node does not understand: {}", line);
            }
        }
        remote.apply(events);
    }

    /** True while this node hears the others. */
    boolean listening() {
        return listening;
    }

    /** How many times this node started listening (and caught up): tests wait for the next one. */
    int listens() {
        return listens.get();
    }

    // ---- lifecycle ------------------------------------------------------------------------------------

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        running = true;
        sender = Thread.ofPlatform().daemon().name("herald-fanout-notify").start(this::send);
        listener = Thread.ofPlatform().daemon().name("herald-fanout-listen").start(this::listen);
        catchUps = scheduler.scheduleWithFixedDelay(config.reconcileInterval(), config.reconcileInterval(), () -> {
            try {
                remote.catchUpAll();
            } catch (RuntimeException e) {
                LOG.warn("Periodic fan-out catch-up failed; next one in {}", config.reconcileInterval(), e);
            }
        });
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (catchUps != null) {
            catchUps.cancel(false);
        }
        if (sender != null) {
            sender.join(TimeUnit.SECONDS.toMillis(2)); // let what was queued go out
            sender.interrupt();
        }
        if (listener != null) {
            listener.interrupt();
            listener.join(TimeUnit.SECONDS.toMillis(2));
        }
    }

    private void pause() {
        try {
            Thread.sleep(config.reconnectDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
