package dev.herald.ops;

import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's line: remote address, method, path, status and time, on the {@code herald.access}
 * logger when {@code herald.ops.access-log} is on. The query string is never logged: browsers pass tokens
 * and tickets in it to the stream endpoints. Nor is a pairing's id: whoever holds it may listen for the
 * tokens of the device being paired, so it is masked. {@link AccessLog} writes it for requests Micronaut
 * routes; the native WebSocket handshake, which bypasses Micronaut's pipeline, writes it itself.
 */
@Singleton
public final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("herald.access");
    private static final Pattern PAIRING_ID = Pattern.compile("^/api/pairings/[^/]+(?=/|$)");

    private final boolean enabled;

    RequestLog(OpsConfig config) {
        this.enabled = config.accessLog();
    }

    public void record(InetSocketAddress remote, String method, String path, int status, long startedNanos) {
        if (enabled) {
            String address = remote == null || remote.getAddress() == null ? "-" : remote.getAddress().getHostAddress();
            LOG.info("{} {} {} {} {}ms", address, method, loggedPath(path), status,
                    (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    static String loggedPath(String path) {
        return path.equals("/api/pairings/scan") ? path : PAIRING_ID.matcher(path).replaceFirst("/api/pairings/…");
    }
}
