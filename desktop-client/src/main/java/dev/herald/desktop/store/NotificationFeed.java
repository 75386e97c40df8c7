package dev.herald.desktop.store;

import dev.herald.desktop.net.ConnectionEvents;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.Notification;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Carries what the live connection reports into the store, on the UI thread, and hands each notification
 * that is new to the store on (to the toasts). Read changes from any device apply here at once.
 */
public final class NotificationFeed implements ConnectionEvents {

    private final NotificationStore store;
    private final Executor uiThread;
    private final Clock clock;
    private final Consumer<Notification> arrivals;
    private final Consumer<List<UUID>> reads;
    private final Runnable recount;
    private final ObjectProperty<ConnectionState> state = new SimpleObjectProperty<>(this, "state", new ConnectionState.Offline());

    /** {@code recount} asks the server for the unread count: after a read of notifications not loaded here. */
    public NotificationFeed(NotificationStore store, Executor uiThread, Clock clock, Consumer<Notification> arrivals,
                            Consumer<List<UUID>> reads, Runnable recount) {
        this.store = store;
        this.uiThread = uiThread;
        this.clock = clock;
        this.arrivals = arrivals;
        this.reads = reads;
        this.recount = recount;
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    @Override
    public void stateChanged(ConnectionState next) {
        uiThread.execute(() -> state.set(next));
    }

    @Override
    public void notificationArrived(Notification notification) {
        uiThread.execute(() -> {
            if (store.addLive(notification)) {
                arrivals.accept(notification);
            }
        });
    }

    @Override
    public void notificationsRead(List<UUID> ids) {
        uiThread.execute(() -> {
            if (!store.markRead(ids, clock.instant())) {
                recount.run();
            }
            reads.accept(ids);
        });
    }

    @Override
    public void allRead(long upTo) {
        uiThread.execute(() -> store.markAllRead(upTo, clock.instant()));
    }
}
