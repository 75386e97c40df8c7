package dev.herald.pairing;

import dev.herald.auth.Caller;
import dev.herald.ops.EventStream;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;
import org.reactivestreams.Publisher;

/**
 * QR device pairing. The device creates a pairing, shows its QR code and listens on the pairing's event
 * stream; a signed-in user scans the code; the stream then carries the device's own tokens for that user.
 * Creating is anonymous: rate limit {@code POST /api/pairings} at the proxy.
 */
@Controller("/api/pairings")
@ExecuteOn(TaskExecutors.BLOCKING)
class PairingController {

    private static final String NOT_FOUND = "No such pairing, or it has expired or been used";

    private final PairingService pairings;
    private final PairingStreams streams;
    private final PairingEvents events;
    private final SessionHandover handover;
    private final QrCodeImage qrCodes;
    private final PairingConfig config;

    PairingController(PairingService pairings, PairingStreams streams, PairingEvents events, SessionHandover handover,
                      QrCodeImage qrCodes, PairingConfig config) {
        this.pairings = pairings;
        this.streams = streams;
        this.events = events;
        this.handover = handover;
        this.qrCodes = qrCodes;
        this.config = config;
    }

    /** The body is optional; it only names the device. */
    @Post
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<PairingViews.Created> create(@Body @Nullable @Valid PairingRequests.NewPairing request) {
        return HttpResponse.created(pairings.create(request == null ? null : request.label()));
    }

    @Get(uri = "/{id}/qr.png", produces = MediaType.IMAGE_PNG)
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<byte[]> qrCode(UUID id, @QueryValue @Nullable @Min(QrCodeImage.MIN_SIZE) @Max(QrCodeImage.MAX_SIZE) Integer size) {
        String qrToken = pairings.qrTokenOf(id).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND));
        return HttpResponse.ok(qrCodes.png(qrToken, size == null ? config.qrSize() : size))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /**
     * The device's stream: {@code connection} at once, then only heartbeats until {@code session-started}
     * (the tokens) or {@code expired}, after which it ends. A pairing that is unknown, completed or expired
     * gets 404 before any stream; a scanned one still uncollected gets its session at once.
     */
    @Get(uri = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<Publisher<Event<String>>> events(UUID id) {
        PairingStore.Open pairing = pairings.findOpen(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, NOT_FOUND));
        EventStream stream = streams.open(id, events.connection(id, pairing.expiresAt()));
        if (pairing.claimed()) {
            handover.handOver(id, stream);
        }
        return HttpResponse.<Publisher<Event<String>>>ok(stream)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    /** The signed-in user vouches for the device whose QR code they scanned. */
    @Post("/scan")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    PairingViews.Scanned scan(Caller caller, @Body @Valid PairingRequests.Scan request) {
        return PairingViews.Scanned.paired(pairings.scan(caller.userId(), request.qrToken()));
    }
}
