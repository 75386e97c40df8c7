package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The image tarball that {@code -Pimage} builds (target/herald-image.tar, docker-save format): its layers
 * are what its config says, it runs as a non-root user on port 8080 configured by environment variables
 * only, and its entrypoint, run on the unpacked layers, serves /health/liveness. Where user namespaces are
 * allowed it runs in a chroot of the unpacked image, so the image's own glibc and JVM are what run; else it
 * runs the image's JVM on the host's libraries.
 */
@Tag("image")
class ContainerImageIT {

    static final Path IMAGE = Path.of("target", "herald-image.tar");
    static final String UNPRIVILEGED = "65532:65532";

    @RegisterExtension
    static final HeraldServer database = new HeraldServer(Map.of("herald.inventory.scheduled-checks", false));

    static Path unpacked;
    static Path rootfs;
    static Map<String, Object> config;
    static List<String> layers;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(IMAGE).as("the image tarball, built by -Pimage package").exists();
        unpacked = Files.createTempDirectory("herald-image");
        rootfs = Files.createDirectories(unpacked.resolve("rootfs"));
        assertThat(run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", unpacked.toString()))).isZero();
        List<Map<String, Object>> manifest = yaml(unpacked.resolve("manifest.json"));
        assertThat(manifest).hasSize(1);
        config = yaml(unpacked.resolve((String) manifest.getFirst().get("Config")));
        layers = strings(manifest.getFirst().get("Layers"));
        for (String layer : layers) {
            assertThat(run(List.of("tar", "-xzf", unpacked.resolve(layer).toString(), "-C", rootfs.toString()))).isZero();
        }
        // What every container runtime provides.
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (unpacked != null) {
            run(List.of("rm", "-rf", unpacked.toString()));
        }
    }

    @Test
    void theLayersAreTheOnesTheConfigNamesAndHoldTheRuntimeTheJarAndItsAotCache() throws Exception {
        List<String> diffIds = strings(map(config.get("rootfs")).get("diff_ids"));
        List<String> actual = new ArrayList<>();
        for (String layer : layers) {
            actual.add("sha256:" + uncompressedSha256(unpacked.resolve(layer)));
        }
        assertThat(actual).isEqualTo(diffIds);
        assertThat(layers).hasSize(2);
        assertThat(rootfs.resolve("opt/java/bin/java")).isExecutable();
        assertThat(rootfs.resolve("lib/x86_64-linux-gnu/libc.so.6")).exists();
        assertThat(rootfs.resolve("app/herald.jar")).isRegularFile();
        assertThat(rootfs.resolve("app/herald.aot")).isRegularFile();
        assertThat(rootfs.resolve("opt/jib-unused")).as("Jib's default layers are filtered out").doesNotExist();
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains(":65532:65532:");
    }

    @Test
    void theConfigRunsTheJarAsTheReadmeDoesAsANonRootUserOnPort8080WithNoSecretsInTheEnvironment() {
        Map<String, Object> container = map(config.get("config"));
        List<String> entrypoint = strings(container.get("Entrypoint"));
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/app/herald.jar");
        assertThat(entrypoint).contains("-XX:AOTCache=/app/herald.aot");
        assertThat(container.get("Cmd")).isNull();
        assertThat(container.get("User")).isEqualTo(UNPRIVILEGED);
        assertThat(map(container.get("ExposedPorts"))).containsOnlyKeys("8080/tcp");
        List<String> environment = strings(container.get("Env"));
        assertThat(environment).contains("JAVA_HOME=/opt/java").anyMatch(variable -> variable.startsWith("PATH=/opt/java/bin"));
        assertThat(environment).noneMatch(variable -> variable.matches("(?i).*(secret|password|datasources).*"));
        assertThat(container.get("WorkingDir")).isEqualTo("/app");
    }

    @Test
    void theEntrypointOnTheUnpackedImageStartsHeraldWithItsAotCacheAndAnswersLiveness() throws Exception {
        Map<String, Object> container = map(config.get("config"));
        List<String> entrypoint = strings(container.get("Entrypoint"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String jdbcUrl;
        try (Connection db = database.db()) {
            jdbcUrl = db.getMetaData().getURL();
        }
        boolean chroot = userNamespacesWork();
        List<String> command = new ArrayList<>();
        if (chroot) {
            // A private mount and PID namespace with /proc, then the image's root and working directory.
            command.addAll(List.of("unshare", "-r", "-m", "-p", "-f", "/bin/sh", "-c",
                    "mount -t proc proc \"$0/proc\" && cd \"$0/app\" && exec chroot \"$0\" \"$@\"", rootfs.toString()));
            command.addAll(entrypoint);
        } else {
            command.add(rootfs.resolve("opt/java/bin/java").toString());
            entrypoint.subList(1, entrypoint.size()).forEach(arg -> command.add(arg.replace("/app/", rootfs + "/app/")));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        strings(container.get("Env")).forEach(variable -> {
            int equals = variable.indexOf('=');
            builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
        });
        builder.environment().put("PATH", builder.environment().get("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        builder.environment().put("DATASOURCES_DEFAULT_URL", jdbcUrl);
        builder.environment().put("DATASOURCES_DEFAULT_USERNAME", "postgres");
        builder.environment().put("DATASOURCES_DEFAULT_PASSWORD", "postgres");
        builder.environment().put("HERALD_JWT_SECRET", HeraldServer.JWT_SECRET);
        builder.environment().put("HERALD_INVENTORY_SCHEDULED_CHECKS", "false");
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:aot=info");
        Path log = unpacked.resolve("herald.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Instant launched = Instant.now();
        Process herald = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI liveness = URI.create("http://127.0.0.1:" + port + "/health/liveness");
            int status = 0;
            while (status != 200 && Duration.between(launched, Instant.now()).toSeconds() < 120 && herald.isAlive()) {
                try {
                    status = http.send(HttpRequest.newBuilder(liveness).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (IOException notYetListening) {
                    Thread.sleep(50);
                }
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(status).as("liveness; Herald's output (%s):%n%s", chroot ? "chroot" : "host libraries", output)
                    .isEqualTo(200);
            System.out.printf("image entrypoint (%s): liveness 200 after %d ms%n", chroot ? "chroot" : "host libraries",
                    Duration.between(launched, Instant.now()).toMillis());
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(output).as("the AOT cache is used").contains("Using AOT-linked classes: true");
        } finally {
            herald.destroy();
            if (!herald.waitFor(30, TimeUnit.SECONDS)) {
                herald.destroyForcibly();
            }
        }
    }

    private static boolean userNamespacesWork() {
        try {
            return run(List.of("unshare", "-r", "-m", "-p", "-f", "true")) == 0;
        } catch (Exception unavailable) {
            return false;
        }
    }

    private static String uncompressedSha256(Path layer) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(layer)), sha256)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return process.exitValue();
    }

    /** JSON is YAML: the image's manifest and config are read with the YAML parser Herald already has. */
    @SuppressWarnings("unchecked")
    private static <T> T yaml(Path file) throws IOException {
        return (T) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<String>) node;
    }
}
