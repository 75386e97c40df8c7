package dev.herald.inventory;

import dev.herald.notification.NotificationPublished;
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
 * Records, for each announced notification, whether another database connection could already see it when
 * the announcement came: true only if the announcement followed the commit.
 */
@Singleton
@Requires(property = "test.inventory.record-announcements", value = "true")
class AnnouncementRecorder {

    final Map<UUID, Boolean> committedWhenAnnounced = new ConcurrentHashMap<>();
    private final String url;

    AnnouncementRecorder(@Property(name = "datasources.default.url") String url) {
        this.url = url;
    }

    @EventListener
    void onPublished(NotificationPublished event) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM herald.notification WHERE id = ?")) {
            query.setObject(1, event.notification().id());
            ResultSet rs = query.executeQuery();
            rs.next();
            committedWhenAnnounced.put(event.notification().id(), rs.getInt(1) == 1);
        }
    }
}
