package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.testing.TinyCnn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The winnow command line end to end: keygen, sign, verify, inspect, publish through the registry subcommand. */
class WinnowCliTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = WinnowCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void keygenSignVerifyInspectAndPublish() throws Exception {
        Path model = tmp.resolve("tiny.wnm");
        Files.write(model, new TinyCnn(1, 24, 32).float32Artifact());
        Result inspect = run("inspect", model.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("stem.filter") && inspect.out().contains("peak arena"), inspect.out());

        assertEquals(0, run("keygen", tmp.resolve("team").toString()).code());
        Result sign = run("sign", model.toString(), "--key", tmp.resolve("team.key.pem").toString(), "--pub", tmp.resolve("team.pub.pem").toString());
        assertEquals(0, sign.code(), sign.err());
        Result verify = run("registry", "verify", model.toString(), "--trust", tmp.resolve("team.pub.pem").toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().contains("trusted"));

        String dir = tmp.resolve("registry").toString();
        Result pub = run("registry", "publish", "--dir", dir, "tiny-cnn", model.toString(), "--alias", "production");
        assertEquals(0, pub.code(), pub.err());
        assertTrue(run("registry", "list", "--dir", dir).out().contains("tiny-cnn"));

        Path garbage = tmp.resolve("garbage.wnm");
        Files.writeString(garbage, "not a model");
        Result bad = run("inspect", garbage.toString());
        assertEquals(dev.winnow.registry.cli.Exits.INVALID_ARTIFACT, bad.code(), bad.err());
        assertTrue(bad.err().contains("bad magic"), bad.err());
    }
}
