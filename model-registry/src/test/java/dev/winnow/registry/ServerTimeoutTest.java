package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients lose their connection: one that sends nothing, one that stops in the middle
 * of its headers and one that stops in the middle of its body are closed by the server after the
 * configured timeouts. Run in a fresh JVM ({@link TimeoutProbe}) since the JDK server's timeouts are
 * fixed per JVM; there it checks every 100 ms instead of every 10 s.
 */
class ServerTimeoutTest {
    @Test
    void idleAndStalledConnectionsAreClosed() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dsun.net.httpserver.clockTick=100", "-Dsun.net.httpserver.timerMillis=100",
                "-cp", System.getProperty("java.class.path"), TimeoutProbe.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("silent closed", "stalled-headers closed", "stalled-body closed"),
                out.lines().filter(l -> l.endsWith(" closed") || l.endsWith(" open")).toList(), out);
    }
}
