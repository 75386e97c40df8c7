package dev.herald.desktop.store;

import dev.herald.desktop.net.AccessTokens;
import dev.herald.desktop.net.HeraldApi;
import dev.herald.desktop.net.Notification;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Marks notifications read on the server and in the store. The store changes at once so the click feels
 * instant; the server's {@code notification_read}/{@code all_read} echo then changes nothing more.
 */
public final class ReadState {

    private static final Logger LOG = Logger.getLogger(ReadState.class.getName());

    private final NotificationStore store;
    private final HeraldApi api;
    private final AccessTokens tokens;
    private final Executor uiThread;
    private final Clock clock;

    public ReadState(NotificationStore store, HeraldApi api, AccessTokens tokens, Executor uiThread, Clock clock) {
        this.store = store;
        this.api = api;
        this.tokens = tokens;
        this.uiThread = uiThread;
        this.clock = clock;
    }

    /** Call on the UI thread. */
    public CompletableFuture<Void> markRead(UUID id) {
        Notification before = store.find(id);
        boolean marking = before != null && before.unread();
        store.markRead(List.of(id), clock.instant());
        return api.markRead(tokens.current(), List.of(id)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warning("Mark read failed: " + failure.getMessage());
                uiThread.execute(() -> {
                    if (marking) {
                        store.markUnread(List.of(id)); // shown as the server has it: still unread
                    }
                    resyncUnreadCount();
                });
            }
        });
    }

    /** Call on the UI thread. */
    public CompletableFuture<Void> markAllRead() {
        long newest = store.items().isEmpty() ? Long.MAX_VALUE : store.items().getFirst().seq();
        List<UUID> marked = store.markAllRead(newest, clock.instant());
        store.setUnreadCount(0);
        return api.markAllRead(tokens.current()).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warning("Mark all read failed: " + failure.getMessage());
            }
            uiThread.execute(() -> {
                if (failure != null) {
                    store.markUnread(marked);
                }
                resyncUnreadCount();
            });
        });
    }

    /** Asks the server for the exact unread count, which also covers history this client never loaded. */
    public void resyncUnreadCount() {
        api.unreadCount(tokens.current())
                .thenAccept(unread -> uiThread.execute(() -> {
                    if (unread.count() == 0) {
                        // Nothing unread up to the server's cursor: what this client still shows unread there
                        // was read elsewhere (an all_read missed while it was offline, say).
                        store.markAllRead(unread.cursor(), clock.instant());
                    }
                    store.setUnreadCount(unread.count(), unread.cursor());
                }))
                .exceptionally(failure -> null);
    }
}
