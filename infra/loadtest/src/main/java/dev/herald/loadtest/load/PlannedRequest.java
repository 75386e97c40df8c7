package dev.herald.loadtest.load;

import java.util.Map;

/** One HTTP request of a load: GET when {@code body} is null, else a JSON POST. */
public record PlannedRequest(String path, String token, String body, Map<String, String> headers) {

    public static PlannedRequest get(String path, String token) {
        return new PlannedRequest(path, token, null, Map.of());
    }

    public static PlannedRequest post(String path, String token, String body) {
        return new PlannedRequest(path, token, body, Map.of());
    }
}
