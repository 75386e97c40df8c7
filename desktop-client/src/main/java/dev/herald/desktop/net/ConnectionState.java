package dev.herald.desktop.net;

import java.time.Duration;
import java.time.Instant;

/** Where the live connection stands; views show {@link #describe(Instant)}. */
public sealed interface ConnectionState {

    String describe(Instant now);

    record Connecting() implements ConnectionState {
        @Override
        public String describe(Instant now) {
            return "Connecting…";
        }
    }

    record Connected() implements ConnectionState {
        @Override
        public String describe(Instant now) {
            return "Connected";
        }
    }

    /** Waiting to try again; {@code attempt} counts failures since the last good connection. */
    record Reconnecting(int attempt, Duration delay, Instant at) implements ConnectionState {
        @Override
        public String describe(Instant now) {
            long seconds = Math.max(0, (Duration.between(now, at).toMillis() + 999) / 1000);
            return "Reconnecting in " + seconds + " s";
        }
    }

    /** Not connected and not trying: not started yet, or stopped. */
    record Offline() implements ConnectionState {
        @Override
        public String describe(Instant now) {
            return "Offline";
        }
    }

    /** The server no longer accepts this device's credentials: the user must sign in again. */
    record SignedOut() implements ConnectionState {
        @Override
        public String describe(Instant now) {
            return "Signed out";
        }
    }
}
