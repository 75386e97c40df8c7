package dev.herald.desktop.net;

import java.net.URI;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Herald's REST surface as the desktop client uses it. Every call is asynchronous so that view-models never
 * block the FX thread; failures complete exceptionally with {@link HeraldApiException}.
 */
public interface HeraldApi {

    URI server();

    CompletableFuture<Tokens> login(String username, String password);

    CompletableFuture<Tokens> refresh(String refreshToken);

    CompletableFuture<Void> logout(String refreshToken);

    CompletableFuture<HistoryPage> history(String accessToken, Long before, int limit);

    CompletableFuture<UnreadCount> unreadCount(String accessToken);

    CompletableFuture<Void> markRead(String accessToken, Collection<UUID> ids);

    CompletableFuture<Void> markAllRead(String accessToken);

    CompletableFuture<Pairing> createPairing(String deviceLabel);

    CompletableFuture<byte[]> pairingQrCode(UUID pairingId);

    /** Completes when the phone has scanned the code; fails when the pairing expires. */
    CompletableFuture<PairedSession> awaitPairing(UUID pairingId);
}
