package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The winnow command line end to end: keygen, sign, verify, inspect, publish through the registry subcommand. */
class WinnowCliTest {
    @TempDir Path tmp;

    static CliRun.Result run(String... args) {
        return CliRun.winnow(args);
    }

    @Test
    void keygenSignVerifyInspectAndPublish() throws Exception {
        Path model = tmp.resolve("tiny.wnm");
        Files.write(model, new TinyCnn(1, 24, 32).float32Artifact());
        CliRun.Result inspect = run("inspect", model.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("stem.filter") && inspect.out().contains("peak arena"), inspect.out());

        assertEquals(0, run("keygen", tmp.resolve("team").toString()).code());
        CliRun.Result sign = run("sign", model.toString(), "--key", tmp.resolve("team.key.pem").toString(), "--pub", tmp.resolve("team.pub.pem").toString());
        assertEquals(0, sign.code(), sign.err());
        CliRun.Result verify = run("registry", "verify", model.toString(), "--trust", tmp.resolve("team.pub.pem").toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().contains("trusted"));

        String dir = tmp.resolve("registry").toString();
        CliRun.Result pub = run("registry", "publish", "--dir", dir, "tiny-cnn", model.toString(), "--alias", "production");
        assertEquals(0, pub.code(), pub.err());
        assertTrue(run("registry", "list", "--dir", dir).out().contains("tiny-cnn"));

        Path garbage = tmp.resolve("garbage.wnm");
        Files.writeString(garbage, "not a model");
        CliRun.Result bad = run("inspect", garbage.toString());
        assertEquals(dev.winnow.registry.cli.Exits.INVALID_ARTIFACT, bad.code(), bad.err());
        assertTrue(bad.err().contains("bad magic"), bad.err());
    }
}
