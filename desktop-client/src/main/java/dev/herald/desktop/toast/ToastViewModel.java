package dev.herald.desktop.toast;

import dev.herald.desktop.net.Notification;
import dev.herald.desktop.net.Scheduler;
import dev.herald.desktop.store.ReadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Decides which toasts are on screen. Up to {@code maxStacked} notifications show one by one, stacked; when
 * more than that arrive within {@code burstWindow} (a backlog replayed after a reconnect, a publisher's
 * loop) they collapse into one summary toast that counts them, instead of a wall of windows.
 * Call everything on the UI thread; the scheduler's tasks are handed back to it.
 */
public final class ToastViewModel {

    private final ReadState readState;
    private final Consumer<UUID> openCenter;
    private final Scheduler scheduler;
    private final Executor uiThread;
    private final Clock clock;
    private final Duration hideAfter;
    private final int maxStacked;
    private final Duration burstWindow;
    private final ObservableList<Toast> toasts = FXCollections.observableArrayList();
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final Deque<Instant> arrivals = new ArrayDeque<>();
    private final Map<Toast, Scheduler.Cancellable> timers = new HashMap<>();

    public ToastViewModel(ReadState readState, Consumer<UUID> openCenter, Scheduler scheduler, Executor uiThread,
                          Clock clock, Duration hideAfter, int maxStacked, Duration burstWindow) {
        this.readState = readState;
        this.openCenter = openCenter;
        this.scheduler = scheduler;
        this.uiThread = uiThread;
        this.clock = clock;
        this.hideAfter = hideAfter;
        this.maxStacked = maxStacked;
        this.burstWindow = burstWindow;
    }

    /** Oldest first: the view stacks them upwards in this order. */
    public ObservableList<Toast> toasts() {
        return toasts;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public void offer(Notification notification) {
        if (paused.get()) {
            return;
        }
        Instant now = clock.instant();
        arrivals.addLast(now);
        while (!arrivals.isEmpty() && arrivals.peekFirst().isBefore(now.minus(burstWindow))) {
            arrivals.removeFirst();
        }
        Toast.Summary summary = summary();
        if (summary == null && arrivals.size() <= maxStacked) {
            show(new Toast.Single(notification));
            return;
        }
        // A burst: fold the single toasts on screen and this one into the summary.
        int folded = 1;
        for (Toast toast : toasts.stream().filter(Toast.Single.class::isInstance).toList()) {
            dismiss(toast);
            folded++;
        }
        int count = (summary == null ? 0 : summary.count()) + folded;
        if (summary != null) {
            dismiss(summary);
        }
        show(new Toast.Summary(count));
    }

    public void markRead(Toast.Single toast) {
        readState.markRead(toast.notification().id());
        dismiss(toast);
    }

    /** A click on the toast: the center opens at that notification (or at the top, for the summary). */
    public void open(Toast toast) {
        openCenter.accept(toast instanceof Toast.Single single ? single.notification().id() : null);
        dismiss(toast);
    }

    public void dismiss(Toast toast) {
        Scheduler.Cancellable timer = timers.remove(toast);
        if (timer != null) {
            timer.cancel();
        }
        toasts.remove(toast);
    }

    /** Read on another device: its toast has nothing left to say. */
    public void forget(Collection<UUID> ids) {
        toasts.stream()
                .filter(t -> t instanceof Toast.Single single && ids.contains(single.notification().id()))
                .toList()
                .forEach(this::dismiss);
    }

    public void dismissAll() {
        toasts.stream().toList().forEach(this::dismiss);
    }

    private Toast.Summary summary() {
        return toasts.stream().filter(Toast.Summary.class::isInstance).map(Toast.Summary.class::cast).findFirst().orElse(null);
    }

    private void show(Toast toast) {
        toasts.add(toast);
        timers.put(toast, scheduler.schedule(hideAfter, () -> uiThread.execute(() -> dismiss(toast))));
    }
}
