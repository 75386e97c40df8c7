package dev.herald.auth;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

@Singleton
class UserRepository {

    private static final String COLUMNS = "id, username, password_hash, roles, created_at";

    private final JdbcOperations jdbc;

    UserRepository(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @ReadOnly
    Optional<User> findByUsername(String username) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM app_user WHERE lower(username) = lower(?)", ps -> {
            ps.setString(1, username);
            return single(ps);
        });
    }

    @ReadOnly
    Optional<User> findById(long id) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM app_user WHERE id = ?", ps -> {
            ps.setLong(1, id);
            return single(ps);
        });
    }

    @ReadOnly
    long count() {
        return jdbc.prepareStatement("SELECT count(*) FROM app_user", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Inserts the user unless the name is taken (in any case); empty when it was. */
    @Transactional
    Optional<User> insert(String username, String passwordHash, Set<String> roles) {
        return jdbc.prepareStatement("""
                INSERT INTO app_user (username, password_hash, roles) VALUES (?, ?, ?)
                ON CONFLICT (lower(username)) DO NOTHING
                RETURNING\s""" + COLUMNS, ps -> {
            bindNew(ps, username, passwordHash, roles);
            return single(ps);
        });
    }

    /**
     * Inserts the user only if no user exists at all. Safe when several replicas start at once: the
     * unique name makes all but one insert a no-op.
     */
    @Transactional
    boolean insertIfNoUsers(String username, String passwordHash, Set<String> roles) {
        return jdbc.prepareStatement("""
                INSERT INTO app_user (username, password_hash, roles)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM app_user)
                ON CONFLICT (lower(username)) DO NOTHING""", ps -> {
            bindNew(ps, username, passwordHash, roles);
            return ps.executeUpdate() == 1;
        });
    }

    private static void bindNew(PreparedStatement ps, String username, String passwordHash, Set<String> roles)
            throws SQLException {
        ps.setString(1, username);
        ps.setString(2, passwordHash);
        ps.setArray(3, ps.getConnection().createArrayOf("text", roles.toArray()));
    }

    private static Optional<User> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String[] roles = (String[]) rs.getArray("roles").getArray();
            return Optional.of(new User(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                    new LinkedHashSet<>(Arrays.asList(roles)), rs.getTimestamp("created_at").toInstant()));
        }
    }
}
