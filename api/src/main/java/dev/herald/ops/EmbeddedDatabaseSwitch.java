package dev.herald.ops;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;

/**
 * Points a datasource that has no URL at the embedded PostgreSQL. This runs before the datasource's own
 * initialisation, which would otherwise fail for want of a URL; a configured URL is never touched.
 */
@Singleton
final class EmbeddedDatabaseSwitch implements BeanInitializedEventListener<DatasourceConfiguration> {

    private final BeanProvider<EmbeddedDatabase> embeddedDatabase;

    EmbeddedDatabaseSwitch(BeanProvider<EmbeddedDatabase> embeddedDatabase) {
        this.embeddedDatabase = embeddedDatabase;
    }

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        String url = datasource.getConfiguredUrl();
        if (url == null || url.isBlank()) {
            datasource.setUrl(embeddedDatabase.get().jdbcUrl());
            datasource.setUsername("postgres");
            datasource.setPassword("postgres");
        }
        return datasource;
    }
}
