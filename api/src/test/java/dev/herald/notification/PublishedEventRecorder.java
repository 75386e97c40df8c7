package dev.herald.notification;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, for each {@link NotificationPublished} event, whether the notification was already visible
 * to another database connection when the event arrived, which it is only if the event follows commit.
 */
@Singleton
@Requires(property = "test.record-published-events", value = "true")
public class PublishedEventRecorder {

    public final Map<UUID, Boolean> committedWhenRaised = new ConcurrentHashMap<>();
    private final String url;

    PublishedEventRecorder(@Property(name = "datasources.default.url") String url) {
        this.url = url;
    }

    @EventListener
    void onPublished(NotificationPublished event) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM herald.notification WHERE id = ?")) {
            query.setObject(1, event.notification().id());
            ResultSet rs = query.executeQuery();
            rs.next();
            committedWhenRaised.put(event.notification().id(), rs.getInt(1) == 1);
        }
    }
}
