package dev.herald.desktop.net;

import java.util.List;
import java.util.UUID;

/** What the live connection reports; called on the connection's threads, never on the FX thread. */
public interface ConnectionEvents {

    default void stateChanged(ConnectionState state) {
    }

    /** A notification not seen before on this connection (duplicates by seq are dropped before this). */
    default void notificationArrived(Notification notification) {
    }

    /** Another device (or this one) marked these read. */
    default void notificationsRead(List<UUID> ids) {
    }

    /** Everything with seq up to {@code upTo} is read now. */
    default void allRead(long upTo) {
    }
}
