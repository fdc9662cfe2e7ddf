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

    /** inspect --bench: a row per op with its time and, for convs, the kernel the load chose and how. */
    @Test
    void inspectBenchTimesEveryOpAndNamesTheChosenKernels() throws Exception {
        Path model = tmp.resolve("tiny-int8.wnm");
        TinyCnn cnn = new TinyCnn(1, 24, 32);
        Files.write(model, cnn.int8Artifact(java.util.List.of(dev.winnow.runtime.kernel.KernelDispatch.pseudoRandomFloats(24 * 32, 9))));
        CliRun.Result bench = run("inspect", "--bench", "--runs", "5", model.toString());
        assertEquals(0, bench.code(), bench.err());
        String out = bench.out();
        String table = out.substring(out.indexOf("kernel (how chosen)"));
        var convRows = table.lines().filter(l -> l.contains(" conv2d ")).toList();
        assertFalse(convRows.isEmpty(), table);
        for (String row : convRows) assertTrue(row.matches(".* int8-[a-z0-9-]+ \\(by shape, self-checked\\) +[0-9.]+ +[0-9.]+%"), row);
        assertTrue(table.contains("whole model: ") && table.contains("kernels chosen by winnow.kernels=shape, 5 runs"), table);
        assertTrue(table.contains("guarded vector paths (int8 requantization, recurrent cells): "), table);

        CliRun.Result zero = run("inspect", "--bench", "--runs", "0", model.toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().strip().startsWith("--runs must be at least 1, not 0"), zero.err());
    }
}
