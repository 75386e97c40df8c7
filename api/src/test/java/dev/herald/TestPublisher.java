package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A publisher account on a test server, and fresh recipients to publish to, one per test. */
public final class TestPublisher {

    private final Api api;
    private final String prefix;
    private final String token;
    private final AtomicInteger users = new AtomicInteger();

    private TestPublisher(Api api, String prefix) {
        this.api = api;
        this.prefix = prefix;
        api.createUser(prefix + "publisher", "publisher");
        this.token = api.login(prefix + "publisher", Api.PASSWORD);
    }

    /** Creates the publisher account; {@code prefix} keeps its users' names apart from other fixtures'. */
    public static TestPublisher on(Api api, String prefix) {
        return new TestPublisher(api, prefix);
    }

    public String token() {
        return token;
    }

    /** A new user with the role user and {@link Api#PASSWORD}; returns the username. */
    public String newUser() {
        String name = prefix + "user-" + users.incrementAndGet();
        api.createUser(name);
        return name;
    }

    /** Publishes a notification of type {@code test}; fails the test unless it was created. */
    public Api.Response publish(String username, String title) {
        return publish(Map.of("username", username, "type", "test", "title", title));
    }

    public Api.Response publish(Map<String, Object> request) {
        Api.Response response = api.publish(token, request);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }
}
