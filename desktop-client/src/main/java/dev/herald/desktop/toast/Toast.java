package dev.herald.desktop.toast;

import dev.herald.desktop.net.Notification;

/** One toast on screen: a notification of its own, or the summary that stands for a burst. */
public sealed interface Toast {

    record Single(Notification notification) implements Toast {
    }

    /** Stands for {@code count} notifications that arrived too fast to show one by one. */
    record Summary(int count) implements Toast {
        public String text() {
            return count + " new notifications";
        }
    }
}
