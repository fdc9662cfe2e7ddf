package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journey of a team without Python: its own labelled CSV → trained → int8 → signed → verified, all with winnow. */
class OwnCsvToSignedArtifactTest {
    @TempDir Path tmp;

    @Test
    void fromALabelledCsvToASignedInt8Artifact() throws Exception {
        Random r = new Random(5);
        StringBuilder b = new StringBuilder("rms,kurtosis,band0,band1,state\n");
        for (int i = 0; i < 600; i++) {
            boolean fault = i % 3 == 0;
            b.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%.3f,%.3f,%s%n", (fault ? 2.0 : 1.0) + 0.3 * r.nextGaussian(),
                    3 + r.nextGaussian(), (fault ? 0.8 : 0.2) + 0.1 * r.nextGaussian(), 0.5 + 0.1 * r.nextGaussian(), fault ? "fault" : "normal"));
        }
        Path csv = Files.writeString(tmp.resolve("pumps.csv"), b);
        Path f = tmp.resolve("pumps-float.wnm"), q = tmp.resolve("pumps-int8.wnm");
        TrainCompressEvalCliTest.run("train", "protonn", "--data", "csv", "--data-path", csv.toString(), "--projection", "4", "--prototypes", "6",
                "--epochs", "15", "--seed", "2", "--name", "pumps", "--out", f.toString());
        CliRun.Result c = TrainCompressEvalCliTest.run("compress", f.toString(), "--data", "csv", "--data-path", csv.toString(),
                "--int8", "--huffman", "--calibration-rows", "200", "-o", q.toString());
        assertTrue(c.out().contains("int8"), c.out());
        TrainCompressEvalCliTest.run("keygen", tmp.resolve("team").toString());
        TrainCompressEvalCliTest.run("sign", q.toString(), "--key", tmp.resolve("team.key.pem").toString(), "--pub", tmp.resolve("team.pub.pem").toString());
        CliRun.Result v = CliRun.winnow("verify", "--key", tmp.resolve("team.pub.pem").toString(), q.toString());
        assertEquals(0, v.code(), v.out() + v.err());
        CliRun.Result e = TrainCompressEvalCliTest.run("eval", "--data", "csv", "--data-path", csv.toString(), q.toString());
        Model m = Model.load(q);
        assertEquals(java.util.List.of("fault", "normal"), m.metadata().labels());
        assertTrue(m.metadata().metrics().getOrDefault("accuracy", 0.0) > 0.9 || e.out().contains("9"), e.out());
    }
}
