package dev.winnow.connectors.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package mosquitto) started by the test on a free port with a
 * temporary configuration, and stopped after. Fails, never skips, when mosquitto is not installed.
 */
public final class Mosquitto implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final Path dir;
    private final Path log;
    public final int port;

    public Mosquitto() throws Exception {
        Path binary = BINARY;
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("mosquitto is not installed (" + BINARY + " missing): run scripts/install-deps.sh"
                    + " (it installs the Debian package mosquitto; CI runs it)");
        }
        port = freePort();
        dir = Files.createTempDirectory("mosquitto-test");
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "max_queued_messages 10000\nlog_dest stdout\n", StandardCharsets.US_ASCII);
        log = dir.resolve("mosquitto.log");
        process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("mosquitto did not listen on " + port + " within 10 s: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }
}
