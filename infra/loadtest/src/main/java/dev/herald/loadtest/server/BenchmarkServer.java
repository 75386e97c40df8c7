package dev.herald.loadtest.server;

import dev.herald.loadtest.cli.Options;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Herald under test: launched from {@code --server herald.jar} (then its pid is known and it is stopped
 * at the end) or an already-running one ({@code --url}, {@code --server-pid}).
 */
public final class BenchmarkServer implements AutoCloseable {

    public static final String DEFAULT_ADMIN_PASSWORD = "loadtest-admin-password";
    /** Fixed, so that tokens stay valid across the launches of one run (cold start relaunches). */
    public static final String JWT_SECRET = "herald-loadtest-jwt-secret-long-enough-for-hs256";

    private final URI url;
    private final ServerProbe probe;
    private final String adminPassword;
    private final Optional<String> jdbcUrl;
    private final HeraldProcess process;

    private BenchmarkServer(URI url, ServerProbe probe, String adminPassword, Optional<String> jdbcUrl, HeraldProcess process) {
        this.url = url;
        this.probe = probe;
        this.adminPassword = adminPassword;
        this.jdbcUrl = jdbcUrl;
        this.process = process;
    }

    public static BenchmarkServer from(Options options) {
        String adminPassword = options.text("admin-password", DEFAULT_ADMIN_PASSWORD);
        Optional<String> jdbcUrl = options.text("jdbc-url");
        Optional<String> jar = options.text("server");
        if (jar.isPresent()) {
            HeraldProcess process = HeraldProcess.start(launch(options, Path.of(jar.get()), List.of()), HeraldProcess.freePort())
                    .awaitLive(options.duration("server-start-timeout", Duration.ofMinutes(3)));
            return new BenchmarkServer(process.url(), new ServerProbe(process.pid()), adminPassword, jdbcUrl, process);
        }
        URI url = URI.create(options.text("url").orElseThrow(
                () -> new IllegalArgumentException("give --server path/to/herald.jar or --url and --server-pid")));
        long pid = Long.parseLong(options.text("server-pid").orElseThrow(
                () -> new IllegalArgumentException("--url needs --server-pid (heap, RSS and CPU are read from it)")));
        return new BenchmarkServer(url, new ServerProbe(pid), adminPassword, jdbcUrl, null);
    }

    /**
     * How a benchmark server is launched: rate limits off, cheap bcrypt (tens of thousands of accounts are
     * created), long-lived tokens (a run outlasts the default 15 minutes), scheduled jobs off (they would
     * disturb the figures).
     */
    public static HeraldProcess.Launch launch(Options options, Path jar, List<String> extraJvmFlags) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HERALD_JWT_SECRET", JWT_SECRET);
        environment.put("HERALD_ADMIN_PASSWORD", options.text("admin-password", DEFAULT_ADMIN_PASSWORD));
        environment.put("HERALD_AUTH_BCRYPT_COST", "4");
        environment.put("HERALD_AUTH_ACCESS_TOKEN_TTL", "12h");
        environment.put("HERALD_PUBLISH_REQUESTS_PER_SECOND", "0");
        environment.put("HERALD_PUBLISH_NOTIFICATIONS_PER_SECOND", "0");
        environment.put("HERALD_INVENTORY_SCHEDULED_CHECKS", "false");
        options.text("jdbc-url").ifPresent(url -> {
            environment.put("DATASOURCES_DEFAULT_URL", url);
            environment.put("DATASOURCES_DEFAULT_USERNAME", options.text("jdbc-user", "postgres"));
            environment.put("DATASOURCES_DEFAULT_PASSWORD", options.text("jdbc-password", "postgres"));
        });
        Path scratch = scratchDirectory();
        if (options.text("jdbc-url").isEmpty()) {
            environment.put("HERALD_OPS_EMBEDDED_DATA_DIR", scratch.resolve("postgres").toString());
        }
        // --server-env K=V,K=V: anything else, e.g. HERALD_DELIVERY_PING_INTERVAL=5s for an experiment.
        options.text("server-env").ifPresent(pairs -> Arrays.stream(pairs.split(","))
                .map(pair -> pair.split("=", 2)).forEach(pair -> environment.put(pair[0], pair[1])));
        List<String> flags = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xmx" + options.text("xmx", "2g")));
        options.text("jvm-flags").ifPresent(extra -> flags.addAll(Arrays.asList(extra.trim().split("\\s+"))));
        flags.addAll(extraJvmFlags);
        return new HeraldProcess.Launch(jar, flags, environment, scratch.resolve("herald.log"));
    }

    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("herald-loadtest-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI url() {
        return url;
    }

    public URI webSocketUrl() {
        return URI.create(url.toString().replaceFirst("^http", "ws") + "/ws");
    }

    public ServerProbe probe() {
        return probe;
    }

    public String adminPassword() {
        return adminPassword;
    }

    public Optional<String> jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> logTail() {
        return Optional.ofNullable(process).map(HeraldProcess::logTail);
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
