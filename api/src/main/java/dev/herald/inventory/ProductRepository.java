package dev.herald.inventory;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for products. Every statement that names a product also names its owner, so another user's product
 * is indistinguishable from one that does not exist.
 */
@Singleton
class ProductRepository {

    private static final Argument<Map<String, Object>> NUTRITION_TYPE = Argument.mapOf(String.class, Object.class);
    /**
     * A product's status at the instant bound first (the end of the warning window) and second (now): the
     * same boundaries the expiry check uses. Binds with {@link #bindStatus}.
     */
    private static final String COLUMNS = """
            id, user_id, name, quantity, notes, expiry_date, expires_at, source, food, nutrition, created_at,
            updated_at,
            CASE WHEN expires_at IS NULL OR expires_at > ? THEN 'active'
                 WHEN expires_at > ? THEN 'expiring'
                 ELSE 'expired' END AS status""";

    private final JdbcOperations jdbc;
    private final JsonMapper json;
    private final InventoryConfig config;

    ProductRepository(JdbcOperations jdbc, JsonMapper json, InventoryConfig config) {
        this.jdbc = jdbc;
        this.json = json;
        this.config = config;
    }

    /** What is written for a product; {@code expiresAt} is already resolved in the owner's zone. */
    record Fields(String name, int quantity, @Nullable String notes, @Nullable ExpiryDate expiry,
                  @Nullable Instant expiresAt) {
    }

    /** Where a product came from: typed in, or scanned (with the food it was recognised as). */
    record Origin(String source, @Nullable String food, @Nullable Map<String, Double> nutrition) {

        static final Origin MANUAL = new Origin(Product.MANUAL, null, null);
    }

    @Transactional
    Product insert(long userId, Fields fields, Origin origin, Instant now) {
        return jdbc.prepareStatement("""
                INSERT INTO product (user_id, name, quantity, notes, expiry_date, expires_at, source, food, nutrition)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                RETURNING\s""" + COLUMNS, ps -> {
            ps.setLong(1, userId);
            int next = bindFields(ps, 2, fields);
            ps.setString(next++, origin.source());
            ps.setString(next++, origin.food());
            ps.setString(next++, origin.nutrition() == null ? null : encode(origin.nutrition()));
            bindStatus(ps, next, now);
            return single(ps).orElseThrow();
        });
    }

    @ReadOnly
    Optional<Product> find(long userId, long id, Instant now) {
        return find(userId, id, now, "");
    }

    /** Reads the product and holds it until the caller's transaction ends, for a read-modify-write. */
    @Transactional
    Optional<Product> findForUpdate(long userId, long id, Instant now) {
        return find(userId, id, now, " FOR UPDATE");
    }

    private Optional<Product> find(long userId, long id, Instant now, String lock) {
        return jdbc.prepareStatement("SELECT " + COLUMNS + " FROM product WHERE user_id = ? AND id = ?" + lock, ps -> {
            int next = bindStatus(ps, 1, now);
            ps.setLong(next++, userId);
            ps.setLong(next, id);
            return single(ps);
        });
    }

    /** Up to {@code limit} of the owner's products, soonest expiry first, optionally of one status. */
    @ReadOnly
    List<Product> list(long userId, @Nullable String status, int limit, int offset, Instant now) {
        return jdbc.prepareStatement("SELECT * FROM (SELECT " + COLUMNS + " FROM product WHERE user_id = ?) owned"
                + " WHERE ?::text IS NULL OR status = ?::text ORDER BY expires_at, id LIMIT ? OFFSET ?", ps -> {
            int next = bindStatus(ps, 1, now);
            ps.setLong(next++, userId);
            ps.setString(next++, status);
            ps.setString(next++, status);
            ps.setInt(next++, limit);
            ps.setInt(next, offset);
            List<Product> products = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    products.add(map(rs));
                }
            }
            return products;
        });
    }

    @Transactional
    Optional<Product> update(long userId, long id, Fields fields, Instant now) {
        return jdbc.prepareStatement("""
                UPDATE product SET name = ?, quantity = ?, notes = ?, expiry_date = ?, expires_at = ?, updated_at = now()
                WHERE user_id = ? AND id = ?
                RETURNING\s""" + COLUMNS, ps -> {
            int next = bindFields(ps, 1, fields);
            ps.setLong(next++, userId);
            ps.setLong(next++, id);
            bindStatus(ps, next, now);
            return single(ps);
        });
    }

    @Transactional
    boolean delete(long userId, long id) {
        return jdbc.prepareStatement("DELETE FROM product WHERE user_id = ? AND id = ?", ps -> {
            ps.setLong(1, userId);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        });
    }

    /** The distinct dates the owner's date-only expiries fall on. */
    @ReadOnly
    List<LocalDate> expiryDates(long userId) {
        return jdbc.prepareStatement(
                "SELECT DISTINCT expiry_date FROM product WHERE user_id = ? AND expiry_date IS NOT NULL", ps -> {
                    ps.setLong(1, userId);
                    List<LocalDate> dates = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            dates.add(rs.getObject(1, LocalDate.class));
                        }
                    }
                    return dates;
                });
    }

    /** Sets the resolved instant of the owner's date-only expiries, date by date. */
    @Transactional
    int resolveExpiryDates(long userId, Map<LocalDate, Instant> endOfDay) {
        if (endOfDay.isEmpty()) {
            return 0;
        }
        // Passed as ISO text: an instant with its offset cannot be misread in any session time zone.
        return jdbc.prepareStatement("""
                UPDATE product p SET expires_at = resolved.expires_at
                FROM unnest(?::text[]::date[], ?::text[]::timestamptz[]) AS resolved (expiry_date, expires_at)
                WHERE p.user_id = ? AND p.expiry_date = resolved.expiry_date""", ps -> {
            List<LocalDate> dates = List.copyOf(endOfDay.keySet());
            ps.setArray(1, ps.getConnection().createArrayOf("text", dates.stream().map(LocalDate::toString).toArray()));
            ps.setArray(2, ps.getConnection().createArrayOf("text",
                    dates.stream().map(date -> isoText(endOfDay.get(date))).toArray()));
            ps.setLong(3, userId);
            return ps.executeUpdate();
        });
    }

    /**
     * ISO-8601 as PostgreSQL reads it. Java writes a year past 9999 with a sign ({@code +10000-01-01T05:00:00Z},
     * the end of 9999-12-31 west of UTC), which PostgreSQL takes for a time zone; it reads the year without one.
     */
    static String isoText(Instant instant) {
        String iso = instant.toString();
        return iso.startsWith("+") ? iso.substring(1) : iso;
    }

    private static int bindFields(PreparedStatement ps, int first, Fields fields) throws SQLException {
        int next = first;
        ps.setString(next++, fields.name());
        ps.setInt(next++, fields.quantity());
        ps.setString(next++, fields.notes());
        LocalDate date = fields.expiry() == null ? null : fields.expiry().date();
        ps.setObject(next++, date, Types.DATE);
        ps.setTimestamp(next++, fields.expiresAt() == null ? null : Timestamp.from(fields.expiresAt()));
        return next;
    }

    private int bindStatus(PreparedStatement ps, int first, Instant now) throws SQLException {
        ps.setTimestamp(first, Timestamp.from(now.plus(config.warningLeadTime())));
        ps.setTimestamp(first + 1, Timestamp.from(now));
        return first + 2;
    }

    private Optional<Product> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private Product map(ResultSet rs) throws SQLException {
        LocalDate date = rs.getObject("expiry_date", LocalDate.class);
        Timestamp expiresAt = rs.getTimestamp("expires_at");
        ExpiryDate expiry = ExpiryDate.stored(date, expiresAt == null ? null : expiresAt.toInstant());
        String nutrition = rs.getString("nutrition");
        return new Product(
                rs.getLong("id"),
                rs.getLong("user_id"),
                rs.getString("name"),
                rs.getInt("quantity"),
                expiry == null ? null : expiry.toString(),
                expiresAt == null ? null : expiresAt.toInstant(),
                rs.getString("status"),
                rs.getString("notes"),
                rs.getString("source"),
                rs.getString("food"),
                nutrition == null ? null : decode(nutrition),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private String encode(Map<String, Double> nutrition) {
        try {
            return json.writeValueAsString(nutrition);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> decode(String nutrition) {
        try {
            return json.readValue(nutrition, NUTRITION_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored nutrition facts are not JSON", e);
        }
    }
}
