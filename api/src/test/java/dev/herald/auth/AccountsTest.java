package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Api;
import dev.herald.HeraldServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsTest {

    @RegisterExtension
    static final HeraldServer herald = new HeraldServer();
    static Api api;

    @BeforeAll
    static void createUsers() {
        api = herald.api();
        api.createUser("alice");
    }

    @Test
    void loginWithTheRightPasswordReturnsBearerTokensThatWork() {
        Api.Response response = api.post("/api/auth/login", null, Map.of("username", "alice", "password", Api.PASSWORD));

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> tokens = response.json();
        assertThat(tokens.get("token_type")).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in")).isEqualTo(900);
        assertThat((String) tokens.get("refresh_token")).hasSizeGreaterThan(30);
        Api.Response me = api.get("/api/users/me", (String) tokens.get("access_token"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username")).isEqualTo("alice");
        assertThat(me.json().get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly("user");
    }

    @Test
    void usernameIsMatchedRegardlessOfCase() {
        assertThat(api.login("ALICE", Api.PASSWORD)).isNotBlank();
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        Api.Response wrongPassword = api.post("/api/auth/login", null,
                Map.of("username", "alice", "password", "not-her-password"));
        Api.Response unknownUser = api.post("/api/auth/login", null,
                Map.of("username", "nobody", "password", "not-her-password"));

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(wrongPassword.body()).isEqualTo(unknownUser.body());
        assertThat(wrongPassword.json().get("detail")).isEqualTo("Invalid username or password");
        assertThat(wrongPassword.contentType()).startsWith("application/problem+json");
    }

    @Test
    void refreshTokenWorksOnceAndItsReuseRevokesTheWholeSignIn() {
        String first = refreshTokenOf(api.post("/api/auth/login", null,
                Map.of("username", "alice", "password", Api.PASSWORD)));

        Api.Response refreshed = refresh(first);
        assertThat(refreshed.status()).isEqualTo(200);
        String second = refreshTokenOf(refreshed);
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/api/users/me", (String) refreshed.json().get("access_token")).status()).isEqualTo(200);

        assertThat(refresh(first).status()).as("a used refresh token").isEqualTo(401);
        assertThat(refresh(second).status()).as("the successor of a replayed token").isEqualTo(401);
    }

    @Test
    void revokedRefreshTokenIsRejected() {
        String token = refreshTokenOf(api.post("/api/auth/login", null,
                Map.of("username", "alice", "password", Api.PASSWORD)));

        assertThat(api.post("/api/auth/logout", null, Map.of("refresh_token", token)).status()).isEqualTo(204);

        assertThat(refresh(token).status()).isEqualTo(401);
    }

    @Test
    void expiredOrUnknownRefreshTokenIsRejected() throws Exception {
        String token = refreshTokenOf(api.post("/api/auth/login", null,
                Map.of("username", "alice", "password", Api.PASSWORD)));
        try (Connection db = herald.db(); PreparedStatement expire = db.prepareStatement(
                "UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE used_at IS NULL AND revoked_at IS NULL")) {
            expire.executeUpdate();
        }

        assertThat(refresh(token).status()).isEqualTo(401);
        assertThat(refresh("made-up-token").status()).isEqualTo(401);
    }

    @Test
    void onlyAnAdminCanCreateUsers() {
        String alice = api.login("alice", Api.PASSWORD);
        Map<String, Object> request = Map.of("username", "mallory", "password", "long-enough-password");

        assertThat(api.post("/api/users", alice, request).status()).isEqualTo(403);
        assertThat(api.post("/api/users", null, request).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null,
                Map.of("username", "mallory", "password", "long-enough-password")).status()).isEqualTo(401);
    }

    @Test
    void takenUsernameGets409InAnyCaseAndStoresNothing() throws Exception {
        api.createUser("Bob");

        Api.Response again = api.post("/api/users", api.adminToken(),
                Map.of("username", "bob", "password", "another-password"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(countUsersNamed("bob")).isEqualTo(1);
    }

    @Test
    void unknownOrMissingRoleGets400AndCreatesNoUser() throws Exception {
        for (List<?> roles : List.<List<?>>of(List.of("superuser"), Arrays.asList("user", null))) {
            Api.Response refused = api.post("/api/users", api.adminToken(),
                    Map.of("username", "carol", "password", "long-enough-password", "roles", roles));

            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat((String) refused.json().get("detail")).contains("roles");
        }
        assertThat(countUsersNamed("carol")).isZero();
    }

    @Test
    void passwordsAreStoredOnlyAsBcryptHashes() throws Exception {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT password_hash FROM app_user WHERE username = 'alice'")) {
            ResultSet rs = query.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("$2b$").doesNotContain(Api.PASSWORD);
        }
    }

    @Test
    void adminIsCreatedOnFirstStartFromTheConfiguredPassword() {
        Api.Response me = api.get("/api/users/me", api.adminToken());

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("admin", "publisher");
    }

    private static Api.Response refresh(String refreshToken) {
        return api.post("/api/auth/refresh", null, Map.of("refresh_token", refreshToken));
    }

    private static String refreshTokenOf(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (String) response.json().get("refresh_token");
    }

    private static int countUsersNamed(String name) throws Exception {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM app_user WHERE lower(username) = ?")) {
            query.setString(1, name);
            ResultSet rs = query.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
