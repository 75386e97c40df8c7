package dev.herald.desktop.net;

import java.time.Duration;

/** Runs a task later; the real one is a scheduled executor, tests drive a fake one by hand. */
public interface Scheduler {

    Cancellable schedule(Duration delay, Runnable task);

    interface Cancellable {
        void cancel();
    }
}
