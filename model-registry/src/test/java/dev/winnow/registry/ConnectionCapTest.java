package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server holds at most {@code maxConnections} connections: one more is closed at once rather than
 * left waiting, the connections inside the cap are still served, and a place freed is taken again.
 * Run in a fresh JVM ({@link ConnectionCapProbe}) since the JDK server's cap is fixed per JVM.
 */
class ConnectionCapTest {
    @Test
    void aConnectionBeyondTheCapIsClosedAtOnceAndAFreedPlaceIsServed() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ConnectionCapProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("inside the cap served", "beyond the cap refused", "after one left served"),
                out.lines().filter(l -> l.startsWith("inside") || l.startsWith("beyond") || l.startsWith("after")).toList(), out);
    }
}
