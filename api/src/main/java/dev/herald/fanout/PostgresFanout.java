package dev.herald.fanout;

import dev.herald.delivery.LocalDelivery;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.context.event.StartupEvent;
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
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out across the nodes that share one PostgreSQL, over LISTEN/NOTIFY. Each node listens on a
 * connection of its own. When it drops, the node listens again and then brings every local connection up
 * to its user's cursor from the database, so nothing published meanwhile is lost, and tells it what was
 * read since the node last heard; the cursor catch-up also runs
 * periodically, for a change whose NOTIFY never went out (its node died between commit and send).
 */
@Singleton
@Requires(condition = FanoutTransport.Postgres.class)
final class PostgresFanout extends CrossNodeFanout implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresFanout.class);

    private final DataSource dataSource;
    private final DatasourceConfiguration database;
    private final FanoutConfig config;
    private final TaskScheduler scheduler;
    private final AtomicInteger listens = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean listening;
    /** When this node last knew it was listening; null until it first did. Owned by the listening thread. */
    private Instant lastHeard;
    private Thread listener;
    private ScheduledFuture<?> catchUps;

    PostgresFanout(LocalDelivery delivery, RemoteChanges remote, DataSource dataSource, DataSourceResolver resolver,
                   @Named("default") DatasourceConfiguration database, FanoutConfig config,
                   @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        super(delivery, remote);
        // The plain pool, not the transaction-aware proxy: NOTIFY runs outside any transaction.
        this.dataSource = resolver.resolve(dataSource);
        this.database = database;
        this.config = config;
        this.scheduler = scheduler;
    }

    /**
     * NOTIFY gives its transaction an id, so with {@code synchronous_commit} on, every message waited for a
     * WAL flush of its own (about 2 ms on the benchmark VM under load) while holding the lock that queues
     * every NOTIFY of the database behind it. The message only tells the other nodes to read rows whose own
     * commit was flushed before it was sent, and a message lost in a crash is made good by their periodic
     * catch-up, so it commits without waiting for the flush ({@code set_config(..., true)} applies to this
     * statement's own transaction only).
     */
    @Override
    void send(String payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)")) {
            statement.setString(1, config.channel());
            statement.setString(2, payload);
            statement.execute();
        }
    }

    /** A data exception (class 22), such as a payload over NOTIFY's 8,000 bytes (22023), fails again every time. */
    @Override
    boolean unsendable(Exception failure) {
        return failure instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22");
    }

    private void listen() {
        while (running) {
            // Not from the pool: a pool would take back a connection that died under getNotifications
            // (which it cannot see) and hand it to a request.
            try (Connection connection = DriverManager.getConnection(database.getUrl(), database.getUsername(),
                    database.getPassword())) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + config.channel()); // a validated identifier
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                // whatever was published, and read, while this node was not listening
                if (lastHeard == null) {
                    catchUp();
                } else {
                    catchUpAfterDeafness(lastHeard);
                }
                listening = true;
                listens.incrementAndGet();
                while (running) {
                    // Each return (at least every half second) says the connection was still listening.
                    lastHeard = Instant.now();
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
                    sleepQuietly(config.reconnectDelay().toMillis());
                }
            }
        }
        listening = false;
    }

    /** True while this node listens to the others. */
    @Override
    public boolean hearsOtherNodes() {
        return listening;
    }

    /** How many times this node started listening (and caught up): tests wait for the next one. */
    int listens() {
        return listens.get();
    }

    /** On the context's start, not the server's: a one-shot command (expiry-check) announces its changes too. */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        running = true;
        startSending();
        listener = Thread.ofPlatform().daemon().name("herald-fanout-listen").start(this::listen);
        catchUps = scheduler.scheduleWithFixedDelay(config.reconcileInterval(), config.reconcileInterval(), this::catchUp);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (catchUps != null) {
            catchUps.cancel(false);
        }
        stopSending();
        if (listener != null) {
            listener.interrupt();
            listener.join(TimeUnit.SECONDS.toMillis(2));
        }
    }
}
