package dev.herald.desktop.center;

import dev.herald.desktop.net.AccessTokens;
import dev.herald.desktop.net.ConnectionState;
import dev.herald.desktop.net.HeraldApi;
import dev.herald.desktop.net.Notification;
import dev.herald.desktop.store.NotificationStore;
import dev.herald.desktop.store.ReadState;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.transformation.FilteredList;

/** The notification center: history paged over REST as the user scrolls, an unread filter, read actions. */
public final class CenterViewModel {

    static final int PAGE_SIZE = 50;
    /** The server's largest page: a reconnect re-reads what is loaded in as few requests as it can. */
    static final int REFRESH_PAGE_SIZE = 200;
    static final int REFRESH_PAGES = 10;

    private final NotificationStore store;
    private final HeraldApi api;
    private final AccessTokens tokens;
    private final ReadState readState;
    private final Executor uiThread;
    private final Clock clock;
    private final FilteredList<Notification> visible;
    private final BooleanProperty unreadOnly = new SimpleBooleanProperty(this, "unreadOnly");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private final BooleanProperty hasMore = new SimpleBooleanProperty(this, "hasMore", true);
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final ObjectProperty<UUID> focused = new SimpleObjectProperty<>(this, "focused");
    private final StringBinding status;
    private Long nextCursor;
    /** Counts reconnect refreshes, so that a flapping connection leaves only its latest one paging. */
    private long refreshes;

    public CenterViewModel(NotificationStore store, HeraldApi api, AccessTokens tokens, ReadState readState,
                           ReadOnlyObjectProperty<ConnectionState> connection, Executor uiThread, Clock clock) {
        this.store = store;
        this.api = api;
        this.tokens = tokens;
        this.readState = readState;
        this.uiThread = uiThread;
        this.clock = clock;
        this.visible = new FilteredList<>(store.items());
        visible.predicateProperty().bind(Bindings.<Predicate<Notification>>createObjectBinding(
                () -> unreadOnly.get() ? Notification::unread : n -> true, unreadOnly));
        this.status = Bindings.createStringBinding(
                () -> store.unreadCount() + " unread · " + connection.get().describe(clock.instant()),
                store.unreadCountProperty(), connection);
    }

    public FilteredList<Notification> visible() {
        return visible;
    }

    public BooleanProperty unreadOnlyProperty() {
        return unreadOnly;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    public ReadOnlyBooleanProperty hasMoreProperty() {
        return hasMore;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public ObjectProperty<UUID> focusedProperty() {
        return focused;
    }

    public StringBinding statusProperty() {
        return status;
    }

    public Clock clock() {
        return clock;
    }

    /** The next (older) page of history; does nothing while a page is loading or at the end. */
    public CompletableFuture<Void> loadMore() {
        if (loading.get() || !hasMore.get()) {
            return CompletableFuture.completedFuture(null);
        }
        loading.set(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        api.history(tokens.current(), nextCursor, PAGE_SIZE).whenComplete((page, failure) -> uiThread.execute(() -> {
            loading.set(false);
            if (failure != null) {
                error.set("Could not load history: " + rootMessage(failure));
            } else {
                error.set("");
                store.addHistory(page.items());
                nextCursor = page.nextCursor();
                hasMore.set(nextCursor != null);
            }
            done.complete(null);
        }));
        return done;
    }

    /** Starts over: the first page again and the server's unread count (after sign-in or a reconnect). */
    public CompletableFuture<Void> reload() {
        nextCursor = null;
        hasMore.set(true);
        readState.resyncUnreadCount();
        return loadMore();
    }

    /**
     * Every loaded page again, newest first, merged into what is loaded (after a reconnect): what arrived
     * while this client was offline, and read changes made meanwhile on other devices to any item it shows,
     * not only to the newest page's. Up to {@link #REFRESH_PAGES} requests of {@link #REFRESH_PAGE_SIZE}.
     */
    public void refreshLoaded() {
        if (nextCursor == null && hasMore.get()) {
            reload(); // no page loaded yet (the first one failed, say): load it now
            return;
        }
        readState.resyncUnreadCount();
        // What loadMore brought reaches down to its cursor; all of history when it reached the end.
        long oldestLoaded = nextCursor == null ? Long.MIN_VALUE : nextCursor;
        refreshFrom(null, oldestLoaded, REFRESH_PAGES, ++refreshes);
    }

    private void refreshFrom(Long before, long oldestLoaded, int pagesLeft, long refresh) {
        api.history(tokens.current(), before, REFRESH_PAGE_SIZE).thenAccept(page -> uiThread.execute(() -> {
            if (refresh != refreshes) {
                return; // a later reconnect started over
            }
            // Older than what was loaded is for loadMore, whose cursor would otherwise skip ahead of it.
            store.addHistory(page.items().stream().filter(n -> n.seq() >= oldestLoaded).toList());
            Long next = page.nextCursor();
            if (next != null && next > oldestLoaded && pagesLeft > 1) {
                refreshFrom(next, oldestLoaded, pagesLeft - 1, refresh);
            }
        })).exceptionally(failure -> null);
    }

    public void markRead(Notification notification) {
        if (notification.unread()) {
            readState.markRead(notification.id());
        }
    }

    public void markAllRead() {
        readState.markAllRead();
    }

    /** Opened from a toast: show that notification, even when the unread filter would hide it. */
    public void focus(UUID id) {
        if (id != null && store.find(id) != null && store.find(id).readAt() != null) {
            unreadOnly.set(false);
        }
        focused.set(id);
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
