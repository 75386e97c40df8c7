package dev.herald;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.time.Duration;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Herald server on a random port with its own fresh PostgreSQL database, for one test class:
 * {@code @RegisterExtension static HeraldServer herald = new HeraldServer();}
 */
public final class HeraldServer implements BeforeAllCallback, AfterAllCallback {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

    private final Map<String, Object> overrides;
    private EmbeddedServer server;
    private String jdbcUrl;
    private Api api;

    public HeraldServer() {
        this(Map.of());
    }

    public HeraldServer(Map<String, Object> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        jdbcUrl = TestPostgres.freshDatabase();
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("datasources.default.url", jdbcUrl);
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", "postgres");
        properties.put("herald.auth.jwt-secret", JWT_SECRET);
        properties.put("herald.auth.admin-password", ADMIN_PASSWORD);
        properties.put("herald.auth.bcrypt-cost", 4);
        // Tests publish as fast as they can; PublishLimitsTest turns the limits back on.
        properties.put("herald.publish.requests-per-second", 0);
        properties.put("herald.publish.notifications-per-second", 0);
        properties.putAll(overrides);
        server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
        api = new Api(server.getURI(), server.getApplicationContext());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Stops the server the way an orchestrator does (graceful shutdown first). */
    public void stop() {
        if (server != null && server.isRunning()) {
            server.getApplicationContext().close();
        }
    }

    public Api api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    /** Waits until at least {@code sessions} sessions of this server's database wait on a lock (10 s at most). */
    public void awaitWaitingOnLock(int sessions) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection db = db(); PreparedStatement query = db.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
                 ResultSet rs = query.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= sessions) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("Fewer than " + sessions + " database sessions waited on a lock within 10 s");
    }

    /** A connection of its own to this server's database, to check what is really stored. */
    public Connection db() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
        connection.setSchema("herald");
        return connection;
    }
}
