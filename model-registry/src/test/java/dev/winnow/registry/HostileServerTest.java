package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP client against a server that answers whatever a test tells it: lies are registry errors, never files touched or a crash. */
class HostileServerTest {
    static final String DIGEST = "a".repeat(64);
    @TempDir Path tmp;
    HttpServer server;
    URI base;
    final Map<String, String> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", x -> {
            byte[] body = answers.getOrDefault(x.getRequestURI().getPath(), "{\"error\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpRegistryClient client(Path cache) {
        return new HttpRegistryClient(base, null, cache, List.of(), 1, Duration.ofMillis(1));
    }

    static String version(String sha) {
        return "{\"model\":\"m\",\"version\":1,\"sha256\":\"" + sha + "\",\"size\":10,\"family\":\"bonsai\",\"metrics\":{},\"tags\":{},"
                + "\"uploader\":\"x\",\"published\":1,\"archived\":false}";
    }

    @Test
    void aDigestThatIsAPathIsRefusedAndNothingOutsideTheCacheIsTouched() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("a/b/cache"));
        Path victim = tmp.resolve("a/victim.wnm");
        Files.writeString(victim, "not an artifact");
        answers.put("/resolve", version("../../../victim"));
        RegistryException e = assertThrows(RegistryException.class, () -> client(cache).resolve("m@production"));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(Files.exists(victim), "the file outside the cache is still there");
        for (String sha : List.of("A".repeat(64), "a".repeat(63), "a".repeat(65), "/etc/passwd")) {
            answers.put("/resolve", version(sha));
            assertThrows(RegistryException.class, () -> client(cache).resolve("m@production"), sha);
        }
        answers.put("/resolve", version(DIGEST));
        assertEquals(DIGEST, client(cache).resolve("m@production").sha256());
    }

    @Test
    void malformedAnswersAreOneLineRegistryErrors() throws Exception {
        HttpRegistryClient c = client(null);
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("/events", "{\"events\": 5}");
        bad.put("/models", "{\"models\": [1, 2]}");
        bad.put("/models/m", "{\"versions\": \"all\", \"aliases\": {}}");
        bad.put("/resolve", "{\"model\":\"m\",\"version\":\"one\",\"sha256\":\"" + DIGEST + "\",\"size\":1,\"published\":1}");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            answers.clear();
            answers.put(b.getKey(), b.getValue());
            RegistryException e = assertThrows(RegistryException.class, () -> {
                switch (b.getKey()) {
                    case "/events": c.events(0, 0); break;
                    case "/models": c.models(); break;
                    case "/models/m": c.show("m"); break;
                    default: c.resolve("m");
                }
            }, b.getKey());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        answers.clear();
        answers.put("/events", "{\"events\": [[1]]}");
        assertThrows(RegistryException.class, () -> c.events(0, 0));
        answers.put("/events", "{\"events\": [{\"seq\": \"x\"}]}");
        assertThrows(RegistryException.class, () -> c.events(0, 0));
        answers.put("/models/m", "{\"versions\": [], \"aliases\": {\"production\": 4294967297}}");
        assertThrows(RegistryException.class, () -> c.show("m"));
        answers.put("/models", "[\"not an object\"]");
        assertThrows(RegistryException.class, c::models);

        // the CLI: one line and the registry exit code, no stack trace
        answers.put("/models", "{\"models\": [1, 2]}");
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        picocli.CommandLine cl = dev.winnow.registry.cli.Exits.install(new picocli.CommandLine(new dev.winnow.registry.cli.RegistryCommand()), t -> false);
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(dev.winnow.registry.cli.Exits.REGISTRY, cl.execute("list", "--url", base.toString()), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("malformed"), err.toString());
    }
}
