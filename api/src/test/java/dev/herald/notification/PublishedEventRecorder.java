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
 * Records, for each notification of each {@link NotificationsPublished} event, whether it was already visible
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
    void onPublished(NotificationsPublished event) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM herald.notification WHERE id = ?")) {
            for (Notification notification : event.notifications()) {
                query.setObject(1, notification.id());
                ResultSet rs = query.executeQuery();
                rs.next();
                committedWhenRaised.put(notification.id(), rs.getInt(1) == 1);
            }
        }
    }
}
