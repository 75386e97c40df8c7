package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @Test
    void withoutADatasourceUrlHeraldStoresInAnEmbeddedPostgresThatSurvivesARestart(@TempDir Path dataDir) {
        Map<String, Object> properties = Map.of(
                "micronaut.server.port", -1,
                "herald.ops.embedded-data-dir", dataDir.toString(),
                "herald.auth.jwt-secret", HeraldServer.JWT_SECRET,
                "herald.auth.admin-password", HeraldServer.ADMIN_PASSWORD,
                "herald.auth.bcrypt-cost", 4);

        try (EmbeddedServer first = ApplicationContext.run(EmbeddedServer.class, properties, "test")) {
            Api api = new Api(first.getURI(), first.getApplicationContext());
            api.createUser("survivor");
            assertThat(api.publish(api.adminToken(), Map.of("username", "survivor", "type", "t", "title", "kept"))
                    .status()).isEqualTo(201);
        }
        assertThat(dataDir.resolve("PG_VERSION")).exists();

        try (EmbeddedServer second = ApplicationContext.run(EmbeddedServer.class, properties, "test")) {
            Api api = new Api(second.getURI(), second.getApplicationContext());
            String survivor = api.login("survivor", Api.PASSWORD);
            assertThat(api.get("/api/notifications", survivor).items())
                    .extracting(item -> item.get("title")).containsExactly("kept");
        }
    }
}
