package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldServer;
import dev.herald.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminBootstrapTest {

    @Test
    void theFirstStartCreatesAdminAndLaterStartsLeaveItAloneWhateverThePassword() {
        String database = TestPostgres.freshDatabase();
        HeraldServer first = new HeraldServer(Map.of("datasources.default.url", database,
                "herald.auth.admin-password", "first-admin-password"));
        first.beforeAll(null);
        try {
            assertThat(login(first, "first-admin-password")).isEqualTo(200);
        } finally {
            first.stop();
        }

        HeraldServer second = new HeraldServer(Map.of("datasources.default.url", database,
                "herald.auth.admin-password", "another-password"));
        second.beforeAll(null);
        try {
            assertThat(login(second, "first-admin-password")).isEqualTo(200);
            assertThat(login(second, "another-password")).isEqualTo(401);
        } finally {
            second.stop();
        }
    }

    private static int login(HeraldServer server, String password) {
        return server.api().post("/api/auth/login", null, Map.of("username", "admin", "password", password)).status();
    }
}
