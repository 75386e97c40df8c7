package dev.herald.loadtest.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.loadtest.cli.Options;
import dev.herald.loadtest.report.Figure;
import dev.herald.loadtest.report.Report;
import dev.herald.loadtest.rest.HeraldRest;
import dev.herald.loadtest.rest.UserPool;
import dev.herald.loadtest.server.BenchmarkServer;
import dev.herald.loadtest.server.HeraldProcess;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 5: launch herald.jar again and again against a PostgreSQL whose schema is already migrated
 * (a replica scaled up from zero; the database's own start is not measured) and time JVM launch -> first
 * accepted WebSocket -> first delivery on it. Modes: the JDK's default CDS, AppCDS (an archive the
 * preparation run writes), and the JDK 25 AOT cache when {@code --aot-cache} names one trained by
 * {@code infra/image/train-aot-cache.sh}.
 */
public final class ColdStart implements Scenario {

    private static final double TARGET_MILLIS = 1500;

    @Override
    public Report run(Options options, PrintStream progress) throws Exception {
        Path jar = Path.of(options.text("server").orElseThrow(() -> new IllegalArgumentException("cold-start needs --server herald.jar")));
        if (options.text("jdbc-url").isEmpty()) {
            throw new IllegalArgumentException("cold-start needs --jdbc-url: an embedded PostgreSQL's start would be measured too");
        }
        int runs = options.integer("runs", 5);
        Path scratch = Files.createTempDirectory("herald-coldstart-");
        // A private copy: the AppCDS archive and the AOT cache are bound to the jar's path, size and time.
        Path privateJar = Files.copy(jar, scratch.resolve("herald.jar"));
        Path archive = scratch.resolve("herald.jsa");
        List<String> appCds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);

        // Preparation: migrates the schema, creates the probe user, and goes through what is measured (a
        // WebSocket, a publish, its delivery), so the AppCDS archive it writes as it exits has those classes.
        String userToken;
        String adminToken;
        int preparationPort = HeraldProcess.freePort();
        try (HeraldProcess server = HeraldProcess.start(BenchmarkServer.launch(options, privateJar, appCds), preparationPort)
                .awaitLive(Duration.ofMinutes(3))) {
            HeraldRest rest = new HeraldRest(server.url());
            adminToken = rest.login("admin", options.text("admin-password", BenchmarkServer.DEFAULT_ADMIN_PASSWORD));
            rest.createUser(adminToken, "lt-coldstart", UserPool.PASSWORD, List.of("user"));
            userToken = rest.login("lt-coldstart", UserPool.PASSWORD);
            firstDelivery(server, preparationPort, userToken, adminToken, System.nanoTime());
        }

        List<String> modes = new ArrayList<>(Arrays.asList(options.text("modes", "default,appcds").split(",")));
        Optional<String> aotCache = options.text("aot-cache");
        Optional<String> trainer = options.text("train-aot");
        if (trainer.isPresent()) {
            aotCache = Optional.of(trainAotCache(Path.of(trainer.get()), privateJar, scratch.resolve("herald.aot"), options, progress));
        }
        if (aotCache.isPresent() && !modes.contains("aot")) {
            modes.add("aot");
        }
        String aotFile = aotCache.orElse(null);
        Report report = new Report("cold-start").note("against " + options.text("jdbc-url").get()
                + " (schema already migrated); JVM: " + Runtime.version() + "; CPUs: " + Runtime.getRuntime().availableProcessors());
        for (String mode : modes) {
            List<String> flags = switch (mode) {
                case "default" -> List.of();
                case "appcds" -> appCds;
                case "aot" -> {
                    if (aotFile == null) {
                        throw new IllegalArgumentException("mode aot needs --aot-cache FILE or --train-aot infra/image/train-aot-cache.sh");
                    }
                    yield List.of("-XX:AOTCache=" + aotFile);
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            List<Long> toSocket = new ArrayList<>();
            List<Long> toDelivery = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                long[] times = launchOnce(asInProduction(BenchmarkServer.launch(options, privateJar, flags)), userToken, adminToken);
                toSocket.add(times[0]);
                toDelivery.add(times[1]);
                progress.printf("[cold-start] %s run %d: first WebSocket %d ms, first delivery %d ms%n", mode, run + 1, times[0], times[1]);
            }
            report.add(Figure.info(mode + ": launch -> first accepted WebSocket (median)", median(toSocket), "ms"))
                    .add(Figure.atMost(mode + ": launch -> first delivery (median)", median(toDelivery), "ms", TARGET_MILLIS))
                    .add(Figure.info(mode + ": launch -> first delivery (min)", toDelivery.stream().mapToLong(Long::longValue).min().orElse(0), "ms"))
                    .add(Figure.info(mode + ": launch -> first delivery (max)", toDelivery.stream().mapToLong(Long::longValue).max().orElse(0), "ms"))
                    .count(mode + " runs", runs);
        }
        return report;
    }

    /**
     * Trains a JDK 25 AOT cache for this very jar copy with the image build's own script (it drives login,
     * publish, history and a WebSocket upgrade against the same database).
     */
    private static String trainAotCache(Path script, Path jar, Path output, Options options, PrintStream progress) throws Exception {
        progress.println("[cold-start] training the AOT cache with " + script);
        ProcessBuilder training = new ProcessBuilder("bash", script.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), jar.toString(), output.toString())
                .redirectErrorStream(true).redirectOutput(output.resolveSibling("aot-training.log").toFile());
        training.environment().put("TRAINING_DATABASE_URL", freshDatabaseBeside(options));
        training.environment().put("TRAINING_DATABASE_USERNAME", options.text("jdbc-user", "postgres"));
        training.environment().put("TRAINING_DATABASE_PASSWORD", options.text("jdbc-password", "postgres"));
        int exit = training.start().waitFor();
        if (exit != 0 || !Files.exists(output)) {
            throw new IllegalStateException("AOT training failed (" + exit + "), see " + output.resolveSibling("aot-training.log"));
        }
        return output.toString();
    }

    /**
     * The training script signs in as its own admin, so it needs a database where no user exists yet: one
     * created for it on the same PostgreSQL.
     */
    private static String freshDatabaseBeside(Options options) throws SQLException {
        String url = options.text("jdbc-url").orElseThrow();
        String name = "herald_aot_training_" + System.currentTimeMillis();
        try (Connection db = DriverManager.getConnection(url, options.text("jdbc-user", "postgres"),
                options.text("jdbc-password", "postgres")); Statement statement = db.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    /**
     * The measured launches keep Herald's own bcrypt cost: only the preparation creates an account, and a
     * cost that a start-up pays (it did once, for a decoy hash) belongs in the figure.
     */
    private static HeraldProcess.Launch asInProduction(HeraldProcess.Launch launch) {
        Map<String, String> environment = new HashMap<>(launch.environment());
        environment.remove("HERALD_AUTH_BCRYPT_COST");
        return new HeraldProcess.Launch(launch.jar(), launch.jvmFlags(), environment, launch.log());
    }

    /** Milliseconds from launch to the first accepted WebSocket and to the first notification on it. */
    private static long[] launchOnce(HeraldProcess.Launch launch, String userToken, String adminToken) throws Exception {
        int port = HeraldProcess.freePort();
        long launched = System.nanoTime();
        try (HeraldProcess server = HeraldProcess.start(launch, port)) {
            return firstDelivery(server, port, userToken, adminToken, launched);
        }
    }

    /** Opens a WebSocket as soon as the server takes one, then publishes to it: milliseconds since {@code launched}. */
    private static long[] firstDelivery(HeraldProcess server, int port, String userToken, String adminToken, long launched)
            throws Exception {
        URI webSocketUrl = URI.create("ws://127.0.0.1:" + port + "/ws");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ProbeSocket socket = new ProbeSocket()) {
            while (!socket.tryOpen(http, webSocketUrl, userToken)) {
                if (System.nanoTime() - launched > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("no WebSocket within 2 minutes:\n" + server.logTail());
                }
                Thread.sleep(5);
            }
            // Ready once Herald says `connected`: a notification committed before that is below the cursor it
            // reports, so a client that connected without `since` rightly does not get it live.
            if (socket.next("connected", Duration.ofSeconds(30)) == null) {
                throw new IllegalStateException("no `connected` within 30 s:\n" + server.logTail());
            }
            long socketOpen = System.nanoTime();
            HttpResponse<String> published = new HeraldRest(server.url()).post("/api/notifications", adminToken,
                    HeraldRest.write(Map.of("username", "lt-coldstart", "type", "bench.coldstart", "title", "Cold start",
                            "data", Map.of("t", socketOpen))), Map.of());
            if (published.statusCode() != 201) {
                throw new IllegalStateException("publish refused: " + published.statusCode() + " " + published.body());
            }
            JsonNode notification = socket.next("notification", Duration.ofSeconds(30));
            if (notification == null) {
                throw new IllegalStateException("no delivery within 30 s:\n" + server.logTail());
            }
            long delivered = System.nanoTime();
            return new long[] {(socketOpen - launched) / 1_000_000, (delivered - launched) / 1_000_000};
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
