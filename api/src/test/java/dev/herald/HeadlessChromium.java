package dev.herald;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol: opens a page and evaluates JavaScript
 * in it. Browser tests use it to prove that real browser APIs (EventSource) work with Herald unchanged.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Argument<Map<String, Object>> OBJECT = Argument.mapOf(String.class, Object.class);

    private final Process process;
    private final Path profile;
    private final JsonMapper json;
    private final URI devtools;
    private final HttpClient http = HttpClient.newHttpClient();

    private HeadlessChromium(Process process, Path profile, JsonMapper json, URI devtools) {
        this.process = process;
        this.profile = profile;
        this.json = json;
        this.devtools = devtools;
    }

    public static HeadlessChromium start(JsonMapper json) throws IOException {
        Path profile = Files.createTempDirectory("herald-chromium");
        // The flags keep Chromium from calling home (the network is closed) and let it run as root in CI.
        Process process = new ProcessBuilder("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = stderr.readLine()) != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        listening.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("Chromium exited without a DevTools port"));
        });
        try {
            URI browser = listening.get(30, TimeUnit.SECONDS);
            return new HeadlessChromium(process, profile, json, URI.create("http://" + browser.getAuthority()));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not start: is Debian's chromium installed?", e);
        }
    }

    /** Opens a tab on {@code url} and waits until it has loaded. */
    public Page open(URI url) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(devtools.resolve("/json/new"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> target = json.readValue(created.body(), OBJECT);
        Page page = new Page(URI.create((String) target.get("webSocketDebuggerUrl")));
        page.call("Page.navigate", Map.of("url", url.toString()));
        page.await("location.href === '" + url + "' && document.readyState === 'complete'", Duration.ofSeconds(15));
        return page;
    }

    /** One tab: evaluates expressions in its page. */
    public final class Page implements WebSocket.Listener, AutoCloseable {

        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        private Page(URI debugger) {
            this.socket = http.newWebSocketBuilder().buildAsync(debugger, this).join();
        }

        /** Evaluates the expression (awaiting a promise) and returns its value as JSON-compatible Java. */
        public Object evaluate(String expression) throws Exception {
            Map<String, Object> response = call("Runtime.evaluate",
                    Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) response.get("result");
            if (result == null || result.containsKey("exceptionDetails")) {
                throw new IllegalStateException("Evaluation failed: " + response);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> value = (Map<String, Object>) result.get("result");
            return value.get("value");
        }

        /** Calls a DevTools method and returns its answer. */
        Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText(json.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
            return answer.get(15, TimeUnit.SECONDS);
        }

        /** Evaluates until the value satisfies {@code done}; fails after the timeout. */
        public Object await(String expression, Predicate<Object> done, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Object value = evaluate(expression);
            while (!done.test(value)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Not there after " + timeout + ": " + expression + " = " + value);
                }
                Thread.sleep(100);
                value = evaluate(expression);
            }
            return value;
        }

        public void await(String condition, Duration timeout) throws Exception {
            await(condition, Boolean.TRUE::equals, timeout);
        }

        /** The JSON the expression evaluates to, parsed. */
        public List<Object> jsonList(String expression) throws Exception {
            return json.readValue((String) evaluate("JSON.stringify(" + expression + ")"), Argument.listOf(Object.class));
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    Map<String, Object> message = json.readValue(partial.toString(), OBJECT);
                    if (message.get("id") instanceof Number id) {
                        CompletableFuture<Map<String, Object>> answer = pending.remove(id.intValue());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
