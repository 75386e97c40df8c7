package dev.herald.desktop.session;

import dev.herald.desktop.net.AccessTokens;
import dev.herald.desktop.net.HeraldApi;
import dev.herald.desktop.net.Scheduler;
import dev.herald.desktop.net.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The signed-in session: the current tokens, kept on disk and refreshed before the access token expires
 * (at four fifths of its lifetime, so a slow network still has time). Listeners hear of every new access
 * token; the connection passes it to the server in an {@code auth} message.
 */
public final class Session implements AccessTokens {

    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    private static final Duration RETRY_AFTER_FAILED_REFRESH = Duration.ofSeconds(30);

    private final HeraldApi api;
    private final SessionFile file;
    private final Scheduler scheduler;
    private final Clock clock;
    private final List<Consumer<String>> renewals = new CopyOnWriteArrayList<>();

    private SavedSession saved;
    private CompletableFuture<String> refreshing;
    private Scheduler.Cancellable nextRefresh;
    private boolean ended;

    public Session(HeraldApi api, SessionFile file, Scheduler scheduler, Clock clock, SavedSession saved) {
        this.api = api;
        this.file = file;
        this.scheduler = scheduler;
        this.clock = clock;
        this.saved = saved;
    }

    /** A new sign-in: keeps the tokens on disk at once. */
    public static Session signedIn(HeraldApi api, SessionFile file, Scheduler scheduler, Clock clock, String username,
                                   Tokens tokens) {
        Session session = new Session(api, file, scheduler, clock, saved(api, clock, username, tokens));
        file.save(session.saved);
        return session;
    }

    public synchronized SavedSession saved() {
        return saved;
    }

    public String username() {
        return saved().username();
    }

    /** Starts the refresh timer: at once when the stored access token is (nearly) expired. */
    public synchronized void start() {
        scheduleRefresh();
    }

    public void onRenewed(Consumer<String> listener) {
        renewals.add(listener);
    }

    @Override
    public synchronized String current() {
        return saved.accessToken();
    }

    /** One refresh at a time: the server rotates refresh tokens, so two concurrent refreshes would revoke the sign-in. */
    @Override
    public synchronized CompletableFuture<String> renew() {
        if (refreshing != null) {
            return refreshing;
        }
        String refreshToken = saved.refreshToken();
        CompletableFuture<String> result = api.refresh(refreshToken).thenApply(this::refreshed);
        refreshing = result;
        result.whenComplete((token, failure) -> {
            synchronized (this) {
                refreshing = null;
                if (failure != null && !ended) {
                    LOG.warning("Token refresh failed: " + failure.getMessage());
                    nextRefresh = scheduler.schedule(RETRY_AFTER_FAILED_REFRESH, this::renew);
                }
            }
        });
        return result;
    }

    /** Revokes the refresh token on the server and forgets the session here, even when the server is unreachable. */
    public CompletableFuture<Void> signOut() {
        String refreshToken;
        synchronized (this) {
            ended = true;
            cancelRefresh();
            refreshToken = saved.refreshToken();
        }
        file.delete();
        return api.logout(refreshToken).exceptionally(failure -> {
            LOG.warning("Could not revoke the refresh token: " + failure.getMessage());
            return null;
        });
    }

    /** Stops the timer without signing out (the client quits; the tokens stay for next time). */
    public synchronized void close() {
        ended = true;
        cancelRefresh();
    }

    private String refreshed(Tokens tokens) {
        String access;
        synchronized (this) {
            saved = saved(api, clock, saved.username(), tokens);
            access = saved.accessToken();
            if (ended) {
                return access;
            }
            file.save(saved);
            scheduleRefresh();
        }
        renewals.forEach(listener -> listener.accept(access));
        return access;
    }

    private void scheduleRefresh() {
        cancelRefresh();
        Duration remaining = Duration.between(clock.instant(), saved.accessExpiresAt());
        Duration delay = remaining.isNegative() ? Duration.ZERO : remaining.multipliedBy(4).dividedBy(5);
        nextRefresh = scheduler.schedule(delay, this::renew);
    }

    private void cancelRefresh() {
        if (nextRefresh != null) {
            nextRefresh.cancel();
            nextRefresh = null;
        }
    }

    private static SavedSession saved(HeraldApi api, Clock clock, String username, Tokens tokens) {
        Instant expiresAt = clock.instant().plusSeconds(tokens.expiresIn());
        return new SavedSession(api.server(), username, tokens.accessToken(), tokens.refreshToken(), expiresAt);
    }
}
