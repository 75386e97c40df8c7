package dev.herald.ops;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.naming.NameResolver;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates Herald's schema when the default datasource is created, through Micronaut Flyway's
 * {@link FlywayMigrator}, unless the schema is already at (or, during a rolling deploy, beyond) this
 * build's latest migration: one query instead of Flyway's start, which scans the application jar for
 * migrations and loads its plugins, about a fifth of a replica's cold start. Micronaut Flyway's own run on
 * datasource creation is switched off ({@code flyway.datasources.default.enabled=false}) for this.
 *
 * <p>What the shortcut does not do is Flyway's validation of the applied migrations' checksums: a migration
 * edited after it was applied goes unnoticed until the next new migration makes Flyway run. Migrations are
 * never edited once released.
 */
@Singleton
final class SchemaMigration implements BeanCreatedEventListener<DataSource> {

    /** The highest {@code V<n>__} in {@code db/migration}; {@code SchemaMigrationTest} holds the two together. */
    static final int LATEST_VERSION = 8;
    static final String DATASOURCE = "default";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private final BeanProvider<FlywayMigrator> migrator;
    private final BeanProvider<FlywayConfigurationProperties> flywayConfigurations;
    private final DataSourceResolver dataSources;

    SchemaMigration(BeanProvider<FlywayMigrator> migrator,
                    BeanProvider<FlywayConfigurationProperties> flywayConfigurations, DataSourceResolver dataSources) {
        this.migrator = migrator;
        this.flywayConfigurations = flywayConfigurations;
        this.dataSources = dataSources;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        boolean isDefault = event.getBeanDefinition() instanceof NameResolver named
                && named.resolveName().filter(DATASOURCE::equals).isPresent();
        if (isDefault) {
            DataSource dataSource = dataSources.resolve(event.getBean());
            if (appliedVersion(dataSource) >= LATEST_VERSION) {
                LOG.info("Schema herald is at version {} or later: no migration needed", LATEST_VERSION);
            } else {
                migrator.get().run(flywayConfigurations.get(Qualifiers.byName(DATASOURCE)), dataSource);
            }
        }
        return event.getBean();
    }

    /**
     * The highest version Flyway applied, or -1 when it never ran here or a migration failed (Flyway then
     * runs, to migrate or to report the failure).
     */
    static int appliedVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT to_regclass('herald.flyway_schema_history')")) {
                if (!rs.next() || rs.getString(1) == null) {
                    return -1; // a new database
                }
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT coalesce(max(version::int) FILTER (WHERE success), -1), bool_and(success)
                    FROM herald.flyway_schema_history WHERE version IS NOT NULL""")) {
                return rs.next() && rs.getBoolean(2) ? rs.getInt(1) : -1;
            }
        } catch (SQLException e) {
            LOG.debug("Could not read the schema history; Flyway decides", e);
            return -1;
        }
    }
}
