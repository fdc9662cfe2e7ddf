package dev.winnow.examples.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server for tests: VLC ({@code cvlc}, Debian vlc-bin + vlc-plugin-base, installed by
 * scripts/install-deps.sh) looping a clip as RTP over UDP at {@code rtsp://127.0.0.1:<port>/cam}. VLC
 * refuses to run as root, so it runs as {@code nobody} (via runuser) when the tests run as root, from
 * a world-readable copy of the clip. A missing cvlc fails the test, it never skips it.
 */
public final class VlcRtspServer implements AutoCloseable {
    private final Path clip;
    private final int port;
    private Process process;

    public VlcRtspServer(Path clip, Path dir) throws IOException {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/cvlc")), "cvlc is missing: scripts/install-deps.sh installs vlc-bin and vlc-plugin-base");
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "winnow-vlc");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.clip = Files.copy(clip, shared.resolve("clip" + clip.getFileName().toString().replaceAll(".*(\\.[^.]+)$", "$1")));
        Files.setPosixFilePermissions(this.clip, PosixFilePermissions.fromString("rw-r--r--"));
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/cam";
    }

    /** Starts VLC and waits until its RTSP port accepts connections. */
    public VlcRtspServer start() throws Exception {
        List<String> vlc = List.of("cvlc", "-q", clip.toString(), "--loop", "--sout", "#rtp{sdp=" + url() + "}", "--sout-keep");
        List<String> cmd = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
        cmd.addAll(vlc);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long end = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < end) {
            assertTrue(process.isAlive(), "cvlc exited with " + (process.isAlive() ? 0 : process.exitValue()) + ": " + String.join(" ", cmd));
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("VLC did not open " + url() + " in 15 s");
        return this;
    }

    /**
     * Serves {@code other} from the next {@link #start}, at the same URL: a camera reconfigured, say to another codec.
     * The server must be stopped.
     */
    public void replaceClip(Path other) throws IOException {
        if (process != null) throw new IllegalStateException("stop the server before replacing its clip");
        Files.copy(other, clip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(clip, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Stops VLC (and runuser's child) and waits until it is gone. */
    public void stop() throws InterruptedException {
        Process p = process;
        process = null;
        if (p == null) return;
        List<ProcessHandle> children = p.descendants().toList();
        for (ProcessHandle c : children) c.destroy();
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            if (c.isAlive()) c.destroyForcibly();
            c.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> c).join();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        Path dir = clip.getParent();
        Files.deleteIfExists(clip);
        Files.deleteIfExists(dir);
    }
}
