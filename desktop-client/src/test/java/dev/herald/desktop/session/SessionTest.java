package dev.herald.desktop.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.FakeScheduler;
import dev.herald.desktop.net.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path config;

    private final FakeHeraldApi api = new FakeHeraldApi();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void tokensAreStoredOwnerOnlyAndReadBack() throws Exception {
        SessionFile file = new SessionFile(config.resolve("nested"));
        Session.signedIn(api, file, scheduler, clock, "alice", new Tokens("access-1", "refresh-1", 900));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(file.load()).contains(new SavedSession(api.server(), "alice", "access-1", "refresh-1", NOW.plusSeconds(900)));
    }

    @Test
    void refreshesAtFourFifthsOfTheLifetimeAndTellsTheConnection() {
        SessionFile file = new SessionFile(config);
        Session session = Session.signedIn(api, file, scheduler, clock, "alice", new Tokens("access-1", "refresh-1", 900));
        List<String> renewed = new ArrayList<>();
        session.onRenewed(renewed::add);
        session.start();
        assertThat(scheduler.pending()).extracting(FakeScheduler.Task::delay).containsExactly(Duration.ofSeconds(720));

        api.nextRefresh.complete(new Tokens("access-2", "refresh-2", 900));
        scheduler.runPending();

        assertThat(api.refreshedWith).containsExactly("refresh-1");
        assertThat(renewed).containsExactly("access-2");
        assertThat(session.current()).isEqualTo("access-2");
        assertThat(file.load().orElseThrow().refreshToken()).isEqualTo("refresh-2");
        assertThat(scheduler.pending()).extracting(FakeScheduler.Task::delay).containsExactly(Duration.ofSeconds(720));
    }

    @Test
    void concurrentRenewalsShareOneRefreshBecauseRefreshTokensRotate() {
        Session session = Session.signedIn(api, new SessionFile(config), scheduler, clock, "alice",
                new Tokens("access-1", "refresh-1", 900));
        assertThat(session.renew()).isSameAs(session.renew());
        assertThat(api.refreshedWith).hasSize(1);
    }

    @Test
    void signOutRevokesTheRefreshTokenAndDeletesTheFile() {
        SessionFile file = new SessionFile(config);
        Session session = Session.signedIn(api, file, scheduler, clock, "alice", new Tokens("access-1", "refresh-1", 900));
        session.start();
        session.signOut().join();
        assertThat(api.loggedOut).containsExactly("refresh-1");
        assertThat(file.path()).doesNotExist();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void configDirectoryFollowsThePlatform() {
        assertThat(ConfigDirectory.forPlatform("Linux", "/home/a", Map.of("XDG_CONFIG_HOME", "/x")))
                .isEqualTo(Path.of("/x/herald"));
        assertThat(ConfigDirectory.forPlatform("Linux", "/home/a", Map.of())).isEqualTo(Path.of("/home/a/.config/herald"));
        assertThat(ConfigDirectory.forPlatform("Mac OS X", "/Users/a", Map.of()))
                .isEqualTo(Path.of("/Users/a/Library/Application Support/Herald"));
        assertThat(ConfigDirectory.forPlatform("Windows 11", "C:/Users/a", Map.of("APPDATA", "C:/Users/a/AppData/Roaming")))
                .isEqualTo(Path.of("C:/Users/a/AppData/Roaming", "Herald"));
    }
}
