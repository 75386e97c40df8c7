package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldServer;
import io.micronaut.data.connection.ConnectionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL plans the latest page of history once per connection, not for every request: planning was about
 * a third of its work per page. With the limit bound as a parameter it assumes a generic plan fetches a tenth
 * of a user's rows, so once users hold many more rows than a page it plans every execution again. Hence a
 * database of its own, with 2,000 rows for each of twenty users, analysed.
 */
class HistoryPlanTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static long reader;

    @BeforeAll
    static void storeManyNotificationsPerUser() throws SQLException {
        for (int i = 0; i < 20; i++) {
            herald.api().createUser("heavy-" + i);
        }
        try (Connection db = herald.db(); Statement sql = db.createStatement()) {
            sql.execute("""
                    INSERT INTO notification (id, user_id, seq, type, title, message)
                    SELECT gen_random_uuid(), u.id, s, 'planned', 'n' || s, ''
                    FROM app_user u, generate_series(1, 2000) s WHERE u.username LIKE 'heavy-%'""");
            sql.execute("ANALYZE notification");
            try (ResultSet user = sql.executeQuery("SELECT id FROM app_user WHERE username = 'heavy-0'")) {
                user.next();
                reader = user.getLong(1);
            }
        }
    }

    @Test
    void theLatestPageIsServedFromACachedPlanOnceTheConnectionHasSeenIt() {
        assertThat(genericPlansAfterTwentyPages(new HistoryQuery(null, null, 50, false, null))).isPositive();
    }

    /** Twenty pages on one pooled connection, then how often PostgreSQL used a generic plan for them. */
    private static long genericPlansAfterTwentyPages(HistoryQuery query) {
        NotificationRepository repository = herald.bean(NotificationRepository.class);
        @SuppressWarnings("unchecked")
        ConnectionOperations<Connection> connections = herald.bean(ConnectionOperations.class);
        // The driver prepares a statement on the server at its fifth execution; PostgreSQL then plans it
        // five more times before it weighs a generic plan.
        return connections.executeRead(status -> {
            for (int i = 0; i < 20; i++) {
                assertThat(repository.page(reader, query)).hasSize(51);
            }
            try (Statement sql = status.getConnection().createStatement();
                 ResultSet plans = sql.executeQuery("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements"
                         + " WHERE statement LIKE '%FROM notification WHERE user_id = $1%'")) {
                plans.next();
                return plans.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
