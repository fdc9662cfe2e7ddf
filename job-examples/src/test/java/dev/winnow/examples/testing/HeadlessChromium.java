package dev.winnow.examples.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser tests' one harness: headless Chromium (Debian {@code chromium}, found on PATH; installed
 * by scripts/install-deps.sh). Two ways in: {@link #dumpDom} renders a file once and returns the DOM
 * after its scripts ran (a static page such as report.html); {@link #start} keeps a browser open and
 * drives it over the DevTools protocol (the JDK's WebSocket client, no driver binary), to read a live
 * page repeatedly while a job runs and to take screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Path log;

    private HeadlessChromium(Process process, WebSocket socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** The chromium binary on PATH, or null (the test then skips with an assumption). */
    public static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "chromium");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** The page's DOM after its scripts ran, as headless Chromium dumps it (virtual time: 15 s of timers at once). */
    public static String dumpDom(String chromium, Path page, Path profile) throws Exception {
        Path dom = profile.resolveSibling("dom.html"), err = profile.resolveSibling("chromium.log");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--virtual-time-budget=15000", "--dump-dom", page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "chromium: " + Files.readString(err));
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** The attributes of a dumped DOM's {@code <body>}, where the pages put what their scripts measured. */
    public static Map<String, String> bodyAttributes(String dom) {
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), "a body in the dumped DOM");
        Map<String, String> a = new HashMap<>();
        Matcher m = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(body.group(1));
        while (m.find()) a.put(m.group(1), m.group(2));
        return a;
    }

    public static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    /**
     * Starts headless Chromium on about:blank with a {@code width}x{@code height} window and connects
     * to its page over the DevTools protocol (the port Chromium picked, from DevToolsActivePort).
     */
    public static HeadlessChromium start(String chromium, Path profile, int width, int height) throws Exception {
        Files.createDirectories(profile);
        Path log = profile.resolveSibling(profile.getFileName() + "-chromium.log"), portFile = profile.resolve("DevToolsActivePort");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                if (!p.isAlive()) fail("chromium exited with " + p.exitValue() + ": " + Files.readString(log));
                if (System.nanoTime() > deadline) fail("chromium opened no DevTools port in 60 s: " + Files.readString(log));
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (JsonNode t : JSON.readTree(list)) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
            assertTrue(ws != null, "a page target: " + list);
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        self[0].answer(text.toString());
                        text.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, socket, log);
            // the viewport itself, not the window around it, so screenshots are width x height
            self[0].call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            return self[0];
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private void answer(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (!m.has("id")) return; // an event; the harness subscribes to none
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f == null) return;
            if (m.has("error")) {
                f.completeExceptionally(new IOException("DevTools: " + m.get("error")));
            } else {
                f.complete(m.path("result"));
            }
        } catch (IOException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    /** Calls a DevTools method and waits (30 s at most) for its result. */
    public JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(JSON.writeValueAsString(m), true).get(30, TimeUnit.SECONDS);
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Loads {@code url} in the page (returns when navigation started; poll with {@link #evaluate}). */
    public void navigate(String url) throws Exception {
        JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url));
        if (r.has("errorText")) throw new IOException("navigate " + url + ": " + r.get("errorText").asText());
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable results only). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (r.has("exceptionDetails")) throw new IOException("in the page: " + expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** The viewport as PNG. */
    public byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).get("data").asText());
    }

    public static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser is killed below either way
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Chromium's own output, for a failure message. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
