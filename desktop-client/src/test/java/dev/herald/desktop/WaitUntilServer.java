package dev.herald.desktop;

import java.util.concurrent.TimeUnit;
import org.testfx.util.WaitForAsyncUtils;

/** Waits for the server's own view of a notification, not the client's. */
final class WaitUntilServer {

    private WaitUntilServer() {
    }

    static void readAtSet(HeraldServer server, String token, String id) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !server.notification(token, id).path("readAt").isNull());
    }
}
