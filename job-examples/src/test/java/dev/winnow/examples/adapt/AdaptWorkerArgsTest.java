package dev.winnow.examples.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.winnow.tools.cli.WinnowCli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the worker hands adapt, without a broker or a teacher: its keys and footage options, in a form adapt parses. */
class AdaptWorkerArgsTest {
    @Test
    void adaptGetsTheWorkersKeysAndFootageOptions() {
        AdaptWorker w = new AdaptWorker();
        new CommandLine(w).parseArgs("--kafka", "localhost:9092", "--camera", "yard=/footage/yard", "--registry", "/registry",
                "--key", "keys/edge", "--trust", "a.pub.pem", "--trust", "b.pub.pem", "--minutes", "3");
        String[] args = w.adaptArgs(Path.of("base.wnm"), "/footage/yard", "yard", Path.of("out.wnm"));
        List<String> a = List.of(args);
        assertEquals("keys/edge", a.get(a.indexOf("--key") + 1));
        assertEquals(List.of("a.pub.pem", "b.pub.pem"), List.of(a.get(a.indexOf("--trust") + 1), a.get(a.lastIndexOf("--trust") + 1)));
        assertEquals("3.0", a.get(a.indexOf("--minutes") + 1));
        // every option the worker forwards is one adapt takes
        WinnowCli.commandLine().parseArgs(args);
    }
}
