package dev.herald.desktop.store;

import dev.herald.desktop.net.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The notifications the client knows, newest (highest seq) first, and the user's unread count: the only
 * state the views read. Mutate it on one thread only (the FX thread in the app, the test thread in tests).
 * Items arrive from history pages and from the live connection; a seq seen before is ignored, so the
 * two sources can overlap without showing anything twice.
 */
public final class NotificationStore {

    private static final Comparator<Notification> NEWEST_FIRST = Comparator.comparingLong(Notification::seq).reversed();

    private final ObservableList<Notification> items = FXCollections.observableArrayList();
    private final ObservableList<Notification> readOnlyItems = FXCollections.unmodifiableObservableList(items);
    private final Set<Long> seqs = new HashSet<>();
    private final LongProperty unreadCount = new SimpleLongProperty(this, "unreadCount");
    /** The seq the server's count covered: live ones at or below it are in the count already. */
    private long countedUpTo = -1;

    public ObservableList<Notification> items() {
        return readOnlyItems;
    }

    public ReadOnlyLongProperty unreadCountProperty() {
        return unreadCount;
    }

    public long unreadCount() {
        return unreadCount.get();
    }

    /** Sets the count outright (all read, say); it covers everything this client has. */
    public void setUnreadCount(long count) {
        unreadCount.set(Math.max(0, count));
        countedUpTo = items.isEmpty() ? countedUpTo : Math.max(countedUpTo, items.getFirst().seq());
    }

    /**
     * The server's own count, which also covers history not loaded yet, as of {@code cursor}. Live
     * notifications that arrived while it was being counted and are above the cursor are added; those at
     * or below it are in it already (counting them again is how a reconnect used to inflate the count).
     */
    public void setUnreadCount(long count, long cursor) {
        long newer = items.stream().filter(n -> n.unread() && n.seq() > cursor).count();
        unreadCount.set(Math.max(0, count) + newer);
        countedUpTo = cursor;
    }

    /** A live notification; false when it was already here. */
    public boolean addLive(Notification notification) {
        if (!seqs.add(notification.seq())) {
            return false;
        }
        insertSorted(notification);
        if (notification.unread() && notification.seq() > countedUpTo) {
            unreadCount.set(unreadCount.get() + 1);
        }
        return true;
    }

    /**
     * A page of history: counted in the server's unread count, except what is newer than the seq that count
     * covered (the page was read after the count, and got there before its live copy). Items already here
     * take the page's read state, which may have changed on another device while this client was offline.
     */
    public void addHistory(List<Notification> page) {
        for (Notification notification : page) {
            if (seqs.add(notification.seq())) {
                insertSorted(notification);
                if (notification.unread() && countedUpTo >= 0 && notification.seq() > countedUpTo) {
                    unreadCount.set(unreadCount.get() + 1);
                }
            } else if (!notification.unread()) {
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).seq() == notification.seq() && items.get(i).unread()) {
                        items.set(i, notification);
                    }
                }
            }
        }
    }

    /**
     * Marks what of {@code ids} is here read; false when some are not here (history not loaded), whose read
     * state the count, which covers them, cannot take from this alone.
     */
    public boolean markRead(Collection<UUID> ids, Instant when) {
        Set<UUID> wanted = Set.copyOf(ids);
        int newlyRead = 0;
        int here = 0;
        for (int i = 0; i < items.size(); i++) {
            Notification notification = items.get(i);
            if (wanted.contains(notification.id())) {
                here++;
                if (notification.unread()) {
                    items.set(i, notification.readAt(when));
                    newlyRead++;
                }
            }
        }
        unreadCount.set(Math.max(0, unreadCount.get() - newlyRead));
        return here == wanted.size();
    }

    /** Marks read everything here up to {@code upTo}; the ids of those that were unread. */
    public List<UUID> markAllRead(long upTo, Instant when) {
        List<UUID> marked = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Notification notification = items.get(i);
            if (notification.unread() && notification.seq() <= upTo) {
                items.set(i, notification.readAt(when));
                marked.add(notification.id());
            }
        }
        unreadCount.set(items.stream().filter(Notification::unread).count());
        return marked;
    }

    /** Undoes this client's own marking of {@code ids} read, which the server did not take. */
    public void markUnread(Collection<UUID> ids) {
        Set<UUID> wanted = Set.copyOf(ids);
        for (int i = 0; i < items.size(); i++) {
            Notification notification = items.get(i);
            if (!notification.unread() && wanted.contains(notification.id())) {
                items.set(i, notification.readAt(null));
                unreadCount.set(unreadCount.get() + 1);
            }
        }
    }

    public Notification find(UUID id) {
        return items.stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
    }

    public void clear() {
        items.clear();
        seqs.clear();
        unreadCount.set(0);
        countedUpTo = -1;
    }

    private void insertSorted(Notification notification) {
        int index = 0;
        while (index < items.size() && NEWEST_FIRST.compare(items.get(index), notification) < 0) {
            index++;
        }
        items.add(index, notification);
    }
}
