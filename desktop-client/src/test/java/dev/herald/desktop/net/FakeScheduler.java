package dev.herald.desktop.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler the test drives: tasks wait until the test runs them, and their delays can be inspected. */
public final class FakeScheduler implements Scheduler {

    public record Task(Duration delay, Runnable work, boolean[] cancelled) {
        public boolean live() {
            return !cancelled[0];
        }
    }

    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable work) {
        Task task = new Task(delay, work, new boolean[1]);
        tasks.add(task);
        return () -> task.cancelled()[0] = true;
    }

    public synchronized List<Task> pending() {
        return tasks.stream().filter(Task::live).toList();
    }

    /** Runs the pending tasks scheduled so far (not those they schedule). */
    public void runPending() {
        List<Task> due;
        synchronized (this) {
            due = pending();
            tasks.removeAll(due);
        }
        due.forEach(task -> task.work().run());
    }
}
