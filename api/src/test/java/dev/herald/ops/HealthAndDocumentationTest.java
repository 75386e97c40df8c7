package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthAndDocumentationTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void livenessAndReadinessAreUpWithoutCredentials() {
        Api.Response liveness = herald.api().get("/health/liveness", null);
        Api.Response readiness = herald.api().get("/health/readiness", null);

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status")).isEqualTo("UP");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status")).isEqualTo("UP");
    }

    @Test
    void healthDetailsAreShownOnlyToSignedInUsers() {
        assertThat(herald.api().get("/health", null).json().get("details")).isNull();
        assertThat(herald.api().get("/health", herald.api().adminToken()).json().get("details"))
                .asString().contains("jdbc");
    }

    @Test
    void openApiDocumentGeneratedAtBuildTimeIsServed() {
        Api.Response document = herald.api().get("/openapi/herald-0.1.yml", null);

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).contains("openapi:", "/api/notifications", "/api/auth/login");
    }

    @Test
    void openApiAtItsPlainPathLeadsToTheDocument() {
        Api.Response plain = herald.api().get("/openapi", null);

        assertThat(plain.status()).isEqualTo(307);
        String location = plain.raw().headers().firstValue("location").orElseThrow();
        assertThat(herald.api().get(location, null).body()).contains("openapi:", "/api/notifications");
    }

    @Test
    void unknownPathGetsAProblemBody() {
        Api.Response response = herald.api().get("/api/nothing-here", herald.api().adminToken());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json()).containsEntry("status", 404);
    }
}
