package dev.herald.desktop.net;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link HeraldApi}: records what view-models ask and answers from queued results. */
public final class FakeHeraldApi implements HeraldApi {

    public final List<List<UUID>> markedRead = new ArrayList<>();
    public final AtomicInteger markAllReadCalls = new AtomicInteger();
    public final List<Long> historyBefore = new ArrayList<>();
    public final List<String> loggedOut = new ArrayList<>();
    public final List<String> refreshedWith = new ArrayList<>();
    public final List<HistoryPage> pages = new ArrayList<>();
    public CompletableFuture<Tokens> nextLogin = new CompletableFuture<>();
    public CompletableFuture<Tokens> nextRefresh = new CompletableFuture<>();
    public CompletableFuture<Pairing> nextPairing = CompletableFuture.failedFuture(new UnsupportedOperationException());
    public CompletableFuture<PairedSession> nextPairedSession = new CompletableFuture<>();
    public long unread;
    /** Marking read fails, as it does offline. */
    public boolean marksFail;
    /** The cursor the fake server counted {@link #unread} at. */
    public long unreadCursor = Long.MAX_VALUE;

    @Override
    public URI server() {
        return URI.create("http://herald.test");
    }

    @Override
    public CompletableFuture<Tokens> login(String username, String password) {
        return nextLogin;
    }

    @Override
    public synchronized CompletableFuture<Tokens> refresh(String refreshToken) {
        refreshedWith.add(refreshToken);
        return nextRefresh;
    }

    @Override
    public CompletableFuture<Void> logout(String refreshToken) {
        loggedOut.add(refreshToken);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<HistoryPage> history(String accessToken, Long before, int limit) {
        historyBefore.add(before);
        return pages.isEmpty() ? CompletableFuture.failedFuture(new HeraldApiException(0, "no more pages queued"))
                : CompletableFuture.completedFuture(pages.removeFirst());
    }

    @Override
    public CompletableFuture<UnreadCount> unreadCount(String accessToken) {
        return CompletableFuture.completedFuture(new UnreadCount(unread, unreadCursor));
    }

    @Override
    public CompletableFuture<Void> markRead(String accessToken, Collection<UUID> ids) {
        markedRead.add(List.copyOf(ids));
        return marks();
    }

    @Override
    public CompletableFuture<Void> markAllRead(String accessToken) {
        markAllReadCalls.incrementAndGet();
        return marks();
    }

    private CompletableFuture<Void> marks() {
        return marksFail ? CompletableFuture.failedFuture(new HeraldApiException(0, "offline"))
                : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Pairing> createPairing(String deviceLabel) {
        return nextPairing;
    }

    @Override
    public CompletableFuture<byte[]> pairingQrCode(UUID pairingId) {
        return CompletableFuture.completedFuture(new byte[] {1});
    }

    @Override
    public CompletableFuture<PairedSession> awaitPairing(UUID pairingId) {
        return nextPairedSession;
    }
}
