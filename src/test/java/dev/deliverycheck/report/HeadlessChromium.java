package dev.deliverycheck.report;

import dev.deliverycheck.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distribution's Chromium, headless, driven over the DevTools protocol (a WebSocket on a
 * loopback port the browser picks). Every wait is bounded; {@link #close()} kills the browser
 * and removes its fresh profile directory, also when a test failed.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("deliverycheck.chromium", "/usr/bin/chromium"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();
    private final List<Map<?, ?>> events = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> load = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static HeadlessChromium start() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("Chromium is not installed at " + BINARY + ": the report's browser test needs it "
                    + "(apt-get install -y --no-install-recommends chromium; .ci/run installs it)");
        }
        Path profile = Files.createTempDirectory("deliverycheck-chromium-");
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--window-size=1400,1000", "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = err.readLine()) != null) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException ignored) {
                    // the browser went away; the bounded wait below reports it
                }
                port.completeExceptionally(new IllegalStateException("Chromium exited before it listened"));
            }, "chromium-stderr");
            reader.setDaemon(true);
            reader.start();
            int devtools = port.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtools + "/json/list")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String pageUrl = null;
            for (Object o : (List<?>) Json.parse(list)) {
                Map<?, ?> target = (Map<?, ?>) o;
                if ("page".equals(target.get("type"))) {
                    pageUrl = (String) target.get("webSocketDebuggerUrl");
                    break;
                }
            }
            if (pageUrl == null) {
                throw new IllegalStateException("Chromium shows no page target: " + list);
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            StringBuilder partial = new StringBuilder();
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String text = partial.toString();
                        partial.setLength(0);
                        self[0].received((Map<?, ?>) Json.parse(text));
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, profile, ws);
            return self[0];
        } catch (Exception | AssertionError e) {
            p.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            delete(profile);
            throw e;
        }
    }

    private void received(Map<?, ?> message) {
        if (message.get("id") instanceof Number id) {
            CompletableFuture<Map<?, ?>> f = pending.remove(id.intValue());
            if (f != null) {
                f.complete(message);
            }
        } else {
            events.add(message);
            if ("Page.loadEventFired".equals(message.get("method"))) {
                load.complete(null);
            }
        }
    }

    /** Sends one DevTools command and waits (bounded) for its result; a protocol error fails. */
    Map<?, ?> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<?, ?>> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Map<?, ?> answer = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (answer.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return (Map<?, ?>) answer.get("result");
    }

    /** Opens {@code url} and waits (bounded) until its load event fired. */
    void open(String url) throws Exception {
        events.clear();
        load = new CompletableFuture<>();
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
        load.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Evaluates a JavaScript expression in the page and returns its value. */
    Object evaluate(String expression) throws Exception {
        Map<?, ?> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return ((Map<?, ?>) r.get("result")).get("value");
    }

    /** Errors the page reported: uncaught exceptions, console.error calls, failed resource loads. */
    List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        synchronized (events) {
            for (Map<?, ?> e : events) {
                Object method = e.get("method");
                Map<?, ?> params = (Map<?, ?>) e.get("params");
                if ("Runtime.exceptionThrown".equals(method)) {
                    errors.add("exception: " + params.get("exceptionDetails"));
                } else if ("Runtime.consoleAPICalled".equals(method) && "error".equals(params.get("type"))) {
                    errors.add("console.error: " + params.get("args"));
                } else if ("Log.entryAdded".equals(method) && "error".equals(((Map<?, ?>) params.get("entry")).get("level"))) {
                    errors.add("log: " + ((Map<?, ?>) params.get("entry")).get("text") + " " + ((Map<?, ?>) params.get("entry")).get("url"));
                }
            }
        }
        return errors;
    }

    /**
     * A PNG of the page region {x, y, width, height} (CSS pixels, page coordinates), which must be
     * scrolled into the viewport: capturing beyond the viewport resizes it, the scroll bar goes
     * and the page reflows under the measured coordinates.
     */
    byte[] screenshot(double x, double y, double width, double height) throws Exception {
        Map<?, ?> r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", false,
                "clip", Map.of("x", x, "y", y, "width", width, "height", height, "scale", 1)));
        return java.util.Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover profile in the temp directory is harmless
        }
    }
}
