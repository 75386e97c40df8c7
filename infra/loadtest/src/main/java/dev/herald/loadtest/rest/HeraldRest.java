package dev.herald.loadtest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** Herald's REST API over the JDK's HTTP client (HTTP/1.1 keep-alive, a pool of connections). */
public final class HeraldRest {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public HeraldRest(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                // Completion handlers are short; platform threads would cost more than the work.
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public URI base() {
        return base;
    }

    /** Signs in; returns the access token. */
    public String login(String username, String password) {
        HttpResponse<String> response = send(post("/api/auth/login", null, Map.of("username", username, "password", password)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login of " + username + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).get("access_token").asText();
    }

    /** Creates a user; false when the name is already taken (an earlier run made it). */
    public boolean createUser(String adminToken, String username, String password, List<String> roles) {
        HttpResponse<String> response = send(post("/api/users", adminToken,
                Map.of("username", username, "password", password, "roles", roles)));
        if (response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 409) {
            return false;
        }
        throw new IllegalStateException("create " + username + ": HTTP " + response.statusCode() + " " + response.body());
    }

    public HttpResponse<String> get(String pathAndQuery, String token) {
        return send(request(pathAndQuery, token).GET().build());
    }

    public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery, String token) {
        return http.sendAsync(request(pathAndQuery, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<String>> postAsync(String path, String token, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String jsonBody, Map<String, String> headers) {
        return postAsync(path, token, jsonBody, headers).join();
    }

    /** The user id a Herald access token names (its {@code uid} claim); the token is not verified here. */
    public static long userIdOf(String accessToken) {
        String payload = accessToken.split("\\.")[1];
        return read(new String(Base64.getUrlDecoder().decode(payload))).get("uid").asLong();
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest post(String path, String token, Object body) {
        return request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build();
    }

    private HttpRequest.Builder request(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
