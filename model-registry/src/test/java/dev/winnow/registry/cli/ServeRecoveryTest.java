package dev.winnow.registry.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.format.Metadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} cleans what a crash between writing a publish's blob and committing its event left
 * (the blob no version references, and a write's temporary file) before it answers anyone, and keeps
 * everything committed.
 */
class ServeRecoveryTest {
    @TempDir Path tmp;

    private static byte[] artifact(int seed, KeyPair keys) {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder("m", "protonn").input("x", new int[] {2}, "float32", "features", null).build());
        w.addFloat32("w", new int[] {2}, new float[] {seed, 1});
        return w.toBytesSigned(keys.getPrivate(), keys.getPublic());
    }

    @Test
    void serveRemovesACrashedPublishsLeftoversBeforeServing() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        Path dir = tmp.resolve("reg");
        ModelRegistry before = new ModelRegistry(new LocalDirectoryStore(dir), List.of(keys.getPublic()), java.time.Clock.systemUTC());
        before.publish("m", artifact(1, keys), "a", Map.of(), false, "production");
        // what `publish m v2 --alias production` leaves when the process dies after the blob, before the event:
        // the new blob under its content name, and the temporary file of the event write it had begun
        byte[] second = artifact(2, keys);
        String sha = dev.winnow.runtime.format.ArtifactReader.read(second).sha256Hex();
        Path committed;
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            committed = blobs.findFirst().orElseThrow();
        }
        // named as publish names it: <sha256>.<signer key>.wnm, the same signer as version 1
        String name = committed.getFileName().toString();
        Path orphan = committed.resolveSibling(sha + name.substring(name.indexOf('.')));
        Files.write(orphan, second);
        Path temp = Files.write(dir.resolve("events/.tmp-4242.part"), "{\"sequence\":2".getBytes());

        CommandLine cl = Exits.install(new CommandLine(new RegistryCommand()), e -> false);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        RegistryCommand.Serve serve = (RegistryCommand.Serve) cl.getSubcommands().get("serve").getCommand();
        String trusted = pem(keys);
        CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> cl.execute("serve", "--dir", dir.toString(), "--port", "0",
                "--token", "serve-recovery-token-0123", "--trust", trusted));
        Matcher started = null;
        for (int i = 0; i < 500 && (started == null || !started.find()); i++) {
            Thread.sleep(20);
            started = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+) .*, (\\d+) leftovers removed\\)").matcher(out.toString());
        }
        try {
            assertTrue(started.find(0), out.toString());
            assertEquals("2", started.group(2), out.toString());
            assertFalse(Files.exists(orphan), "the unreferenced blob is gone");
            assertFalse(Files.exists(temp), "the temporary file is gone");
            try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
                assertEquals(1, blobs.count(), "the committed version's blob stays");
            }
            // and the committed state is served: production is still version 1
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + started.group(1) + "/resolve?ref=m@production")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"version\":1"), r.body());
        } finally {
            serve.stop.countDown();
        }
        assertEquals(0, serving.get(10, TimeUnit.SECONDS));
    }

    private String pem(KeyPair keys) throws Exception {
        Path p = tmp.resolve("trusted.pub.pem");
        Ed25519Keys.writePem(p, keys.getPublic());
        return p.toString();
    }
}
