package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The NUL character, which PostgreSQL stores neither in text nor in jsonb, wherever a client may send text. */
class UnstorableTextTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();

    @Test
    void textWithANulCharacterGets400AndStoresNothing() throws Exception {
        Api api = herald.api();
        api.createUser("nul-publisher", "publisher");
        api.createUser("nul-owner");
        String publisher = api.login("nul-publisher", Api.PASSWORD);
        String owner = api.login("nul-owner", Api.PASSWORD);

        List<Api.Response> refused = List.of(
                api.publish(publisher, Map.of("username", "nul-owner", "type", "t", "title", "a\u0000b")),
                api.publish(publisher, Map.of("username", "nul-owner", "type", "t", "title", "t",
                        "data", Map.of("note", "a\u0000b"))),
                api.post("/api/notifications/batch", publisher, List.of(
                        Map.of("username", "nul-owner", "type", "t", "title", "fine"),
                        Map.of("username", "nul-owner", "type", "t", "title", "t", "message", "a\u0000b"))),
                api.post("/api/products", owner, Map.of("name", "Salt\u0000", "quantity", 1)));

        for (Api.Response response : refused) {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat((String) response.json().get("detail")).contains("NUL");
        }
        assertThat(count("notification")).isZero();
        assertThat(count("product")).isZero();
        assertThat(api.publish(publisher, Map.of("username", "nul-owner", "type", "t", "title", "ab")).status())
                .as("the same without it").isEqualTo(201);
    }

    private static long count(String table) throws Exception {
        try (Connection db = herald.db(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
