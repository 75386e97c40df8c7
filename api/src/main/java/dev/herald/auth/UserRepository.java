package dev.herald.auth;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** The ids of the named users, keyed by lower-cased name; names no user has are left out. */
    @ReadOnly
    Map<String, Long> idsByName(Collection<String> usernames) {
        return jdbc.prepareStatement("SELECT lower(username), id FROM app_user WHERE lower(username) = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text",
                    usernames.stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().toArray()));
            Map<String, Long> ids = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }
            return ids;
        });
    }

    /** Which of the ids are users' ids. */
    @ReadOnly
    Set<Long> existing(Collection<Long> ids) {
        return jdbc.prepareStatement("SELECT id FROM app_user WHERE id = ANY (?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("int8", ids.stream().distinct().toArray()));
            return longs(ps, new HashSet<>());
        });
    }

    /** Up to {@code limit} user ids above {@code afterId}, ascending: every user, one chunk at a time. */
    @ReadOnly
    List<Long> idsAfter(long afterId, int limit) {
        return jdbc.prepareStatement("SELECT id FROM app_user WHERE id > ? ORDER BY id LIMIT ?", ps -> {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return longs(ps, new ArrayList<>());
        });
    }

    private static <C extends Collection<Long>> C longs(PreparedStatement ps, C into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(rs.getLong(1));
            }
        }
        return into;
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
