package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Talks to a test server over real HTTP, as any client would. */
public final class Api {

    public static final String PASSWORD = "password-for-tests";

    private final URI base;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(URI base, ApplicationContext context) {
        this.base = base;
        this.json = context.getBean(JsonMapper.class);
    }

    public URI base() {
        return base;
    }

    public JsonMapper json() {
        return json;
    }

    /** A response; {@link #json()} parses the body as a JSON object. */
    public record Response(int status, String body, HttpResponse<String> raw, JsonMapper mapper) {

        public Map<String, Object> json() {
            try {
                return mapper.readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("Not a JSON object: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> items() {
            return (List<Map<String, Object>>) json().get("items");
        }

        public String contentType() {
            return raw.headers().firstValue("content-type").orElse("");
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Response post(String path, String token, Object body) {
        return post(path, token, body, Map.of());
    }

    public Response put(String path, String token, Object body) {
        return sendWithBody("PUT", path, token, body);
    }

    public Response patch(String path, String token, Object body) {
        return sendWithBody("PATCH", path, token, body);
    }

    private Response sendWithBody(String method, String path, String token, Object body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body))));
    }

    /** POSTs the body: a String is sent as it is, anything else as JSON. */
    public Response post(String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body))));
    }

    public String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs in and returns the access token; fails the test if sign-in fails. */
    public String login(String username, String password) {
        Response response = post("/api/auth/login", null, Map.of("username", username, "password", password));
        assertThat(response.status()).as("login of %s: %s", username, response.body()).isEqualTo(200);
        return (String) response.json().get("access_token");
    }

    public String adminToken() {
        return login("admin", HeraldServer.ADMIN_PASSWORD);
    }

    /** Creates a user through the admin API and returns its id. */
    public long createUser(String username, String... roles) {
        Response response = post("/api/users", adminToken(),
                Map.of("username", username, "password", PASSWORD, "roles", Set.of(roles)));
        assertThat(response.status()).as("create %s: %s", username, response.body()).isEqualTo(201);
        return ((Number) response.json().get("id")).longValue();
    }

    public Response publish(String token, Map<String, Object> request) {
        return post("/api/notifications", token, request);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
