package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InternalErrorTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void unexpectedFailureAnswers500WithoutTheInternalsOfTheError() throws Exception {
        Api api = herald.api();
        // A failure Herald does not expect, whose message names internals (PostgreSQL's errors quote rows).
        try (Connection db = herald.db(); Statement statement = db.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION refuse_user() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'internal detail: %', NEW.password_hash; END $$""");
            statement.execute("CREATE TRIGGER refuse_user BEFORE INSERT ON app_user FOR EACH ROW EXECUTE FUNCTION refuse_user()");
        }

        Api.Response failed = api.post("/api/users", api.adminToken(),
                Map.of("username", "dave", "password", "long-enough-password"));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(failed.json()).containsEntry("status", 500).containsEntry("instance", "/api/users");
        assertThat(failed.body()).doesNotContain("internal detail").doesNotContain("$2").doesNotContain("SQL");
    }
}
