package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files under {@code infra/} (compose, Kubernetes, Knative): every YAML parses, and each keeps
 * what a deployment depends on: the image, the health probes' paths, the port, a non-root user, a grace
 * period longer than Herald's own shutdown grace, and only environment variables that Herald reads.
 */
class DeploymentManifestsTest {

    static final Path INFRA = Path.of("..", "infra");
    static final String IMAGE_NAME = "herald";
    static final int HTTP_PORT = 8080;
    static final String LIVENESS = "/health/liveness";
    static final String READINESS = "/health/readiness";
    static final String APP_LABEL = "app.kubernetes.io/name";

    /** Variables Herald reads besides the upper-cased forms of application.properties' keys. */
    static final Set<String> READ_OUTSIDE_PROPERTIES = Set.of(
            "DATASOURCES_DEFAULT_URL", "DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD",
            "HERALD_OPS_EMBEDDED_DATA_DIR", "JAVA_TOOL_OPTIONS",
            // read as herald.jwt.secret, and by dev.herald.auth.RandomJwtSecret to know whether it is set
            "HERALD_JWT_SECRET");

    static Map<Path, List<Map<String, Object>>> documents = new LinkedHashMap<>();
    static Set<String> variablesHeraldReads = new HashSet<>();
    static Properties applicationProperties = new Properties();

    @BeforeAll
    static void readEverything() throws IOException {
        try (Stream<Path> files = Files.walk(INFRA)) {
            for (Path file : files.filter(DeploymentManifestsTest::isYaml).sorted().toList()) {
                documents.put(INFRA.relativize(file), load(file));
            }
        }
        try (InputStream in = DeploymentManifestsTest.class.getResourceAsStream("/application.properties")) {
            applicationProperties.load(in);
        }
        Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
        for (String key : applicationProperties.stringPropertyNames()) {
            variablesHeraldReads.add(key.toUpperCase(Locale.ROOT).replaceAll("[.\\-\\[\\]]", "_"));
            Matcher matcher = placeholder.matcher(applicationProperties.getProperty(key));
            while (matcher.find()) {
                variablesHeraldReads.add(matcher.group(1));
            }
        }
        variablesHeraldReads.addAll(READ_OUTSIDE_PROPERTIES);
    }

    @Test
    void everyYamlUnderInfraParsesAndTheExpectedFilesExist() {
        assertThat(documents.keySet()).contains(Path.of("compose.yaml"), Path.of("knative", "service.yaml"),
                Path.of("k8s", "deployment.yaml"), Path.of("k8s", "service.yaml"), Path.of("k8s", "cronjob.yaml"),
                Path.of("k8s", "poddisruptionbudget.yaml"), Path.of("k8s", "configmap.yaml"));
        documents.forEach((file, docs) -> assertThat(docs).as(file.toString()).isNotEmpty().doesNotContainNull());
    }

    @Test
    void composeRunsTwoReplicasOnOnePostgresWithPostgresFanoutASharedSecretAndAProxyThatPassesUpgrades()
            throws IOException {
        Map<String, Object> services = map(single("compose.yaml"), "services");
        List<String> replicas = services.keySet().stream().filter(name -> name.startsWith("herald")).toList();
        assertThat(replicas).hasSize(2);
        Set<String> secrets = new HashSet<>();
        for (String replica : replicas) {
            Map<String, Object> service = map(services, replica);
            assertThat(string(service, "image")).as(replica).contains(IMAGE_NAME);
            Map<String, Object> environment = map(service, "environment");
            assertHeraldReads(environment.keySet(), "compose " + replica);
            assertThat(environment).containsEntry("HERALD_FANOUT_TRANSPORT", "postgres");
            assertThat(string(environment, "DATASOURCES_DEFAULT_URL")).startsWith("jdbc:postgresql://postgres:5432/");
            secrets.add(string(environment, "HERALD_JWT_SECRET"));
            assertThat(durationSeconds(string(service, "stop_grace_period"))).isGreaterThan(shutdownGraceSeconds());
        }
        assertThat(secrets).hasSize(1);
        assertThat(services).containsKey("postgres");

        Map<String, Object> proxy = map(services, "proxy");
        String configMount = ((List<?>) proxy.get("volumes")).get(0).toString();
        Path config = INFRA.resolve(configMount.substring(0, configMount.indexOf(':')));
        String nginx = Files.readString(config);
        assertThat(nginx).contains("proxy_set_header Upgrade $http_upgrade", "proxy_set_header Connection",
                "proxy_http_version 1.1", "proxy_buffering off");
        replicas.forEach(replica -> assertThat(nginx).contains("server " + replica + ":" + HTTP_PORT));
    }

    @Test
    void theDeploymentRunsTheImageAsNonRootOnPort8080WithHealthProbesAndRoomForTheGracefulShutdown() {
        Map<String, Object> deployment = single(Path.of("k8s", "deployment.yaml"));
        assertThat(deployment).containsEntry("kind", "Deployment");
        Map<String, Object> pod = map(map(deployment, "spec"), "template");
        Map<String, Object> podSpec = map(pod, "spec");
        assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).longValue())
                .isGreaterThan(shutdownGraceSeconds() + preStopSeconds(podSpec));
        assertNonRoot(map(podSpec, "securityContext"));
        Map<String, Object> container = onlyContainer(podSpec);
        assertThat(string(container, "image")).startsWith(IMAGE_NAME);
        assertNonRoot(map(container, "securityContext"));
        assertThat(map(container, "securityContext")).containsEntry("allowPrivilegeEscalation", false);
        Map<String, Object> port = list(container, "ports").getFirst();
        assertThat(port).containsEntry("containerPort", HTTP_PORT);
        assertThat(probePath(container, "livenessProbe")).isEqualTo(LIVENESS);
        assertThat(probePath(container, "startupProbe")).isEqualTo(LIVENESS);
        assertThat(probePath(container, "readinessProbe")).isEqualTo(READINESS);
        for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
            assertThat(map(map(container, probe), "httpGet").get("port")).isIn(HTTP_PORT, port.get("name"));
        }

        Map<String, String> labels = stringMap(map(pod, "metadata"), "labels");
        Map<String, Object> service = single(Path.of("k8s", "service.yaml"));
        assertThat(labels).containsAllEntriesOf(stringMap(map(service, "spec"), "selector"));
        assertThat(list(map(service, "spec"), "ports").getFirst().get("targetPort")).isIn(HTTP_PORT, port.get("name"));
        Map<String, Object> budget = single(Path.of("k8s", "poddisruptionbudget.yaml"));
        assertThat(budget).containsEntry("kind", "PodDisruptionBudget");
        assertThat(labels).containsAllEntriesOf(stringMap(map(map(budget, "spec"), "selector"), "matchLabels"));
    }

    @Test
    void theCronJobRunsTheExpiryCheckCommandOfTheSameImageAsNonRoot() {
        Map<String, Object> cronJob = single(Path.of("k8s", "cronjob.yaml"));
        assertThat(cronJob).containsEntry("kind", "CronJob");
        Map<String, Object> podSpec = map(map(map(map(cronJob, "spec"), "jobTemplate"), "spec"), "template");
        podSpec = map(podSpec, "spec");
        assertNonRoot(map(podSpec, "securityContext"));
        Map<String, Object> container = onlyContainer(podSpec);
        assertThat(string(container, "image")).isEqualTo(string(onlyContainer(map(map(map(
                single(Path.of("k8s", "deployment.yaml")), "spec"), "template"), "spec")), "image"));
        assertThat(container.get("args")).isEqualTo(List.of("expiry-check"));
        assertNonRoot(map(container, "securityContext"));
    }

    @Test
    void theKnativeServiceScalesToZeroWithoutScheduledChecksAndProbesHealth() {
        Map<String, Object> service = single(Path.of("knative", "service.yaml"));
        assertThat(service).containsEntry("apiVersion", "serving.knative.dev/v1").containsEntry("kind", "Service");
        Map<String, Object> template = map(map(service, "spec"), "template");
        assertThat(stringMap(map(template, "metadata"), "annotations"))
                .containsEntry("autoscaling.knative.dev/min-scale", "0");
        Map<String, Object> container = onlyContainer(map(template, "spec"));
        assertThat(string(container, "image")).contains("/" + IMAGE_NAME + ":");
        assertThat(list(container, "ports").getFirst()).containsEntry("containerPort", HTTP_PORT);
        assertThat(probePath(container, "livenessProbe")).isEqualTo(LIVENESS);
        assertThat(probePath(container, "readinessProbe")).isEqualTo(READINESS);
        assertNonRoot(map(container, "securityContext"));
        Map<String, Object> environment = new LinkedHashMap<>();
        list(container, "env").forEach(variable -> environment.put(string(variable, "name"), variable.get("value")));
        assertThat(environment).containsEntry("HERALD_INVENTORY_SCHEDULED_CHECKS", "false")
                .containsEntry("HERALD_FANOUT_TRANSPORT", "postgres");
    }

    @Test
    void everyVariableTheManifestsSetIsOneHeraldReads() {
        Map<String, Object> configMap = single(Path.of("k8s", "configmap.yaml"));
        assertHeraldReads(stringMap(configMap, "data").keySet(), "k8s/configmap.yaml");
        assertThat(stringMap(configMap, "data")).containsEntry("HERALD_FANOUT_TRANSPORT", "postgres");
        Path secretExample = Path.of("k8s", "secret.example.yaml");
        if (documents.containsKey(secretExample)) {
            Map<String, String> secrets = stringMap(single(secretExample), "stringData");
            assertHeraldReads(secrets.keySet(), secretExample.toString());
            secrets.values().forEach(value -> assertThat(value).as("a placeholder, not a secret").contains("replace-me"));
        }
        documents.forEach((file, docs) -> docs.forEach(doc -> collectEnv(doc, file.toString())));
    }

    private static void collectEnv(Object node, String where) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("env") instanceof List<?> env) {
                for (Object variable : env) {
                    assertHeraldReads(Set.of(String.valueOf(((Map<?, ?>) variable).get("name"))), where);
                }
            }
            map.values().forEach(value -> collectEnv(value, where));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectEnv(value, where));
        }
    }

    private static void assertHeraldReads(Set<String> names, String where) {
        assertThat(variablesHeraldReads).as("variables Herald reads, set in " + where).containsAll(names);
    }

    private static void assertNonRoot(Map<String, Object> securityContext) {
        assertThat(securityContext).containsEntry("runAsNonRoot", true);
        assertThat(((Number) securityContext.get("runAsUser")).longValue()).isPositive();
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return string(map(map(container, probe), "httpGet"), "path");
    }

    private static long preStopSeconds(Map<String, Object> podSpec) {
        Map<String, Object> lifecycle = map(onlyContainer(podSpec), "lifecycle");
        return ((Number) map(map(lifecycle, "preStop"), "sleep").get("seconds")).longValue();
    }

    private static long shutdownGraceSeconds() {
        return durationSeconds(applicationProperties.getProperty("herald.delivery.shutdown-grace"));
    }

    private static long durationSeconds(String value) {
        assertThat(value).matches("\\d+s");
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1))).toSeconds();
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> podSpec) {
        List<Map<String, Object>> containers = list(podSpec, "containers");
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"))
                && !file.toString().contains("target");
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : yaml.loadAll(reader)) {
                docs.add(doc == null ? null : asMap(doc, file.toString()));
            }
        }
        return docs;
    }

    private static Map<String, Object> single(String file) {
        return single(Path.of(file));
    }

    private static Map<String, Object> single(Path file) {
        List<Map<String, Object>> docs = documents.get(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.getFirst();
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).as("has " + key).containsKey(key);
        return asMap(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> stringMap(Map<String, Object> parent, String key) {
        Map<String, Object> map = map(parent, key);
        map.values().forEach(value -> assertThat(value).as(key + " values are strings").isInstanceOf(String.class));
        return (Map<String, String>) (Map<String, ?>) map;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) parent.get(key);
    }

    private static String string(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as(key).isInstanceOf(String.class);
        return (String) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }
}
