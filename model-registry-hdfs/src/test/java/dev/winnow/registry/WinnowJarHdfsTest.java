package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Metadata;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hdfs:// from the {@code winnow} jar as a user runs it: {@code java -jar model-tools/target/winnow.jar}
 * in its own JVM, with the {@code plugins/hdfs} folder the build lays out beside it (Hadoop 3.5 in a
 * plugin class loader, beside the jar's own S3 Hadoop 3.3.4), against an HDFS mini cluster in this JVM.
 * The jar comes from model-tools' package phase, which the reactor runs before this module's tests.
 */
class WinnowJarHdfsTest {
    @TempDir static Path tmp;
    static MiniHdfs hdfs;
    static String base;
    static Path jar;

    @BeforeAll
    static void start() throws Exception {
        jar = Path.of(System.getProperty("winnow.jar", "../model-tools/target/winnow.jar")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar) && Files.isDirectory(jar.resolveSibling("plugins").resolve("hdfs")),
                jar + " with plugins/hdfs beside it is missing: build model-tools with `mvn package` (scripts/test.sh does)");
        hdfs = new MiniHdfs(tmp.resolve("hdfs"));
        base = hdfs.base;
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.close();
    }

    private record Run(int exit, String out, String err) {}

    private static ProcessBuilder winnow(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        // the plugins must be found beside the jar, not through the environment
        pb.environment().remove("FLINK_PLUGINS_DIR");
        pb.environment().remove("FLINK_CONF_DIR");
        return pb;
    }

    private static Run run(String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = winnow(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "winnow " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path artifact(String name, int seed) throws Exception {
        ArtifactWriter w = new ArtifactWriter(Metadata.builder("m", "bonsai").input("x", new int[] {4}, "float32", "features", null).build());
        w.addFloat32("w", new int[] {4}, new float[] {seed, 1, 2, 3});
        Path f = tmp.resolve(name);
        Files.write(f, w.toBytes());
        return f;
    }

    @Test
    void theCliPublishesAliasesAndShowsARegistryOnHdfs() throws Exception {
        String dir = base + "/cli/registry";
        Run keygen = run("keygen", tmp.resolve("team").toString());
        assertEquals(0, keygen.exit(), keygen.err());
        Path key = tmp.resolve("team.key.pem");
        Path v1 = artifact("v1.wnm", 1), v2 = artifact("v2.wnm", 2);
        for (Path v : List.of(v1, v2)) {
            Run signed = run("sign", v.toString(), "--key", key.toString(), "--pub", tmp.resolve("team.pub.pem").toString());
            assertEquals(0, signed.exit(), signed.err());
        }
        Run p1 = run("registry", "publish", "--dir", dir, "m", v1.toString(), "--alias", "production");
        assertEquals(0, p1.exit(), p1.err());
        Run p2 = run("registry", "publish", "--dir", dir, "m", v2.toString(), "--alias", "canary");
        assertEquals(0, p2.exit(), p2.err());
        Run alias = run("registry", "alias", "--dir", dir, "m", "production", "2");
        assertEquals(0, alias.exit(), alias.err());
        Run show = run("registry", "show", "--dir", dir, "m");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("production"), show.out());
        // written on HDFS itself, not in a local folder named "hdfs:"
        assertTrue(hdfs.count("/cli/registry/events") >= 3);
        assertFalse(Files.exists(tmp.resolve("hdfs:")));
        ModelRegistry read = new ModelRegistry(RegistryLocations.open(dir));
        assertEquals(2, read.resolve("m@production").version());
        assertEquals(2, read.resolve("m@canary").version());
    }

    @Test
    void serveAnswersFromARegistryOnHdfs() throws Exception {
        String dir = base + "/serve/registry";
        Path v1 = artifact("s1.wnm", 7);
        Run p = run("registry", "publish", "--dir", dir, "m", v1.toString(), "--alias", "production");
        assertEquals(0, p.exit(), p.err());
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process serve = winnow("registry", "serve", "--dir", dir, "--port", String.valueOf(port), "--allow-unsigned", "--token", "hdfs-serve-token-0123456")
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertNotNull(first, "serve printed nothing");
            assertTrue(first.startsWith("serving " + dir + " on http://127.0.0.1:" + port), first);
            HttpResponse<String> resolved = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/resolve?ref=m@production")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resolved.statusCode(), resolved.body());
            assertTrue(resolved.body().contains("\"version\":1"), resolved.body());
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutThePluginFolderHdfsIsOneLineNamingIt() throws Exception {
        Path lone = tmp.resolve("lone");
        Files.createDirectories(lone);
        Path copy = Files.copy(jar, lone.resolve("winnow.jar"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", copy.toString(),
                "registry", "show", "--dir", base + "/none", "m");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(lone.toFile());
        pb.environment().remove("FLINK_PLUGINS_DIR");
        Process proc = pb.start();
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        assertNotEquals(0, proc.exitValue());
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("no file system for hdfs:// is installed") && err.contains("plugins/hdfs"), err);
    }
}
