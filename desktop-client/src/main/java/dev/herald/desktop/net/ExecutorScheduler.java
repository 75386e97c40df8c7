package dev.herald.desktop.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler} on one daemon thread, so a forgotten timer never keeps the client's JVM alive. */
public final class ExecutorScheduler implements Scheduler {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "herald-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    public void shutdown() {
        executor.shutdownNow();
    }
}
