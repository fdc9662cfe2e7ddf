package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.tools.train.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** winnow train, compress and eval on a small Letter-format file the test writes (16,400 rows so the customary split applies). */
class TrainCompressEvalCliTest {
    @TempDir static Path tmp;
    static Path data, bonsai, protonn;

    static CliRun.Result run(String... args) {
        CliRun.Result r = CliRun.winnow(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        return r;
    }

    static String[] dataArgs(String... more) {
        String[] base = {"--data", "letter", "--data-path", data.toString(), "--train-rows", "900", "--test-rows", "300"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(base, 0, all, more.length, base.length);
        return all;
    }

    @BeforeAll
    static void trainBoth() throws Exception {
        data = tmp.resolve("letter.data");
        Files.writeString(data, Synthetic.letterCsv(Synthetic.clusters(16_400, 16, 26, 7)));
        bonsai = tmp.resolve("b.wnm");
        protonn = tmp.resolve("p.wnm");
        CliRun.Result b = run(dataArgs("train", "bonsai", "--seed", "3", "--epochs", "4", "--projection", "10", "--depth", "2", "--keep-z", "0.5", "--out", bonsai.toString()));
        assertTrue(b.out().contains("epoch   4/4") && b.out().contains("ETA"), b.out());
        assertTrue(b.out().contains("trained (float32)") && b.out().contains("peak RAM") && b.out().contains("same prediction on 300/300"), b.out());
        CliRun.Result p = run(dataArgs("train", "protonn", "--seed", "3", "--epochs", "4", "--projection", "8", "--prototypes", "52", "--out", protonn.toString()));
        assertTrue(p.out().contains("same prediction on 300/300"), p.out());
    }

    @Test
    void trainedArtifactsCarryTheirProvenance() throws Exception {
        var md = ArtifactReader.read(bonsai).metadata();
        assertEquals("bonsai", md.family());
        assertEquals(26, md.labels().size());
        assertEquals(3L, ((Number) md.provenance().get("seed")).longValue());
        assertTrue(String.valueOf(md.provenance().get("command")).startsWith("winnow train bonsai"));
        assertTrue(md.metrics().get("accuracy") > 0.15, "well above chance (1/26) after 4 short epochs: " + md.metrics());
    }

    @Test
    void evalPrintsPerClassTable() {
        CliRun.Result r = run(dataArgs("eval", bonsai.toString()));
        assertTrue(r.out().contains("most confused with") && r.out().contains("\nZ ") && r.out().contains("all "), r.out());
        assertTrue(r.out().contains("accuracy") && r.out().contains("MACs"), r.out());
        CliRun.Result bad = CliRun.winnow("eval", tmp.resolve("letter.data").toString(), "--data-path", data.toString());
        assertEquals(dev.winnow.registry.cli.Exits.INVALID_ARTIFACT, bad.code(), bad.err());
    }

    @Test
    void compressPruneInt8Huffman() throws Exception {
        Path out = tmp.resolve("b8.wnm");
        CliRun.Result r = run(dataArgs("compress", bonsai.toString(), "--prune", "0.5", "--fine-tune-epochs", "1", "--int8", "--huffman",
                "--calibration-rows", "200", "-o", out.toString()));
        for (String step : new String[] {"input", "prune 50% Z +1 ep", "int8 (calibrated)", "huffman", "calibration: W"}) assertTrue(r.out().contains(step), step + "\n" + r.out());
        Model m = Model.load(out);
        assertTrue(m.metadata().toJson().contains("\"arithmetic\":\"int8\""));
        assertTrue(Files.size(out) < Files.size(bonsai));
        assertTrue(m.metadata().metrics().containsKey("accuracy"));
    }

    @Test
    void compressWeightSharingAndBudget() throws Exception {
        Path shared = tmp.resolve("p4.wnm"), fit = tmp.resolve("pb.wnm");
        CliRun.Result r = run(dataArgs("compress", protonn.toString(), "--share-bits", "4", "-o", shared.toString()));
        assertTrue(r.out().contains("weight sharing 4 bit"), r.out());
        int budget = (int) Files.size(shared);
        CliRun.Result b = run(dataArgs("compress", protonn.toString(), "--budget", String.valueOf(budget), "--budget-prune", "0,0.5",
                "--budget-bits", "8,4,3", "--fine-tune-epochs", "1", "--calibration-rows", "200", "-o", fit.toString()));
        assertTrue(b.out().contains("<- chosen") && b.out().contains("budget: prune"), b.out());
        // the chosen row's bytes are the written artifact's, as inspect reports them, and within the budget
        String chosen = b.out().lines().filter(l -> l.endsWith("<- chosen")).findFirst().orElseThrow();
        long tableBytes = Long.parseLong(chosen.trim().split("\\s+")[2]);
        CliRun.Result inspect = run("inspect", fit.toString());
        assertTrue(inspect.out().contains(String.format("%,d B", tableBytes)), tableBytes + "\n" + inspect.out());
        assertEquals(Files.size(fit), tableBytes);
        assertTrue(tableBytes <= budget);
        // accuracy is reported on held-out rows, labelled as such; the metric in the artifact is that test figure
        assertTrue(b.out().contains("test acc") && b.out().contains("300 held-out test rows"), b.out());
        double testAcc = Double.parseDouble(chosen.trim().split("\\s+")[5].replace("%", ""));
        assertEquals(testAcc, 100 * Model.load(fit).metadata().metrics().get("accuracy"), 0.006);
        CliRun.Result none = CliRun.winnow(dataArgs("compress", protonn.toString(), "--budget", "200", "--budget-prune", "0", "--budget-bits", "8",
                "-o", tmp.resolve("none.wnm").toString()));
        assertEquals(Exits.QUALITY, none.code());
        assertEquals(1, none.err().lines().count(), none.err());
        assertTrue(none.err().startsWith("winnow: nothing tried fits"), none.err());
    }

    @Test
    void compressInt8ProtoNnRunsIntegerArithmeticAndBinarizes() throws Exception {
        Path out = tmp.resolve("p8.wnm"), bin = tmp.resolve("pbin.wnm");
        CliRun.Result r = run(dataArgs("compress", protonn.toString(), "--int8", "--bits", "3", "--qat", "ALWAYS", "--qat-epochs", "1",
                "--huffman", "--calibration-rows", "200", "-o", out.toString()));
        for (String step : new String[] {"int3 (calibrated)", "int3 + QAT 1 ep", "calibration: input range", "post-training:", "quantization-aware"}) {
            assertTrue(r.out().contains(step), step + "\n" + r.out());
        }
        assertEquals("quantize", Model.load(out).report().ops().get(0).type());
        CliRun.Result b = run(dataArgs("compress", protonn.toString(), "--binarize", "W", "--fine-tune-epochs", "1", "--int8",
                "--calibration-rows", "200", "-o", bin.toString()));
        assertTrue(b.out().contains("binarize W +1 ep") && b.out().contains("W binary"), b.out());
        assertEquals(dev.winnow.runtime.format.DType.BINARY, Model.load(bin).artifact().tensor("W").dtype());
    }

    @Test
    void distillFromATeacher() throws Exception {
        Path student = tmp.resolve("student.wnm");
        CliRun.Result r = run(dataArgs("train", "protonn", "--seed", "3", "--epochs", "2", "--projection", "6", "--prototypes", "26",
                "--teacher", protonn.toString(), "--temperature", "2", "--alpha", "0.5", "--out", student.toString()));
        assertTrue(r.out().contains("soft targets at T = 2.0, alpha = 0.5"), r.out());
        assertTrue(String.valueOf(ArtifactReader.read(student).metadata().provenance().get("hyperparameters")).contains("distilled from p.wnm"));
    }

    @Test
    void aCompressionStepThatLosesMoreThanMaxLossWarnsAndStrictFails() throws Exception {
        String[] lossy = dataArgs("compress", protonn.toString(), "--int8", "--bits", "2", "--qat", "NEVER", "--calibration-rows", "200",
                "-o", tmp.resolve("p2.wnm").toString());
        CliRun.Result r = run(lossy);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("WARNING: int2 (calibrated) lost ") && l.contains("more than --max-loss 2.0")), r.out() + r.err());
        String[] strict = java.util.Arrays.copyOf(lossy, lossy.length + 1);
        strict[lossy.length] = "--strict";
        CliRun.Result s = CliRun.winnow(strict);
        assertEquals(Exits.QUALITY, s.code(), s.err());
        assertTrue(Files.exists(tmp.resolve("p2.wnm")), "the artifact is still written");
        // a lossless step stays quiet: the same float model, only Huffman-coded
        CliRun.Result quiet = run(dataArgs("compress", protonn.toString(), "--huffman", "--strict", "-o", tmp.resolve("ph.wnm").toString()));
        assertFalse(quiet.err().contains("WARNING"), quiet.err());
    }

    @Test
    void budgetWithPeakRam() throws Exception {
        Path fit = tmp.resolve("pram.wnm");
        CliRun.Result b = run(dataArgs("compress", protonn.toString(), "--max-ram", "200", "--budget-prune", "0",
                "--budget-bits", "8,4", "--calibration-rows", "200", "-o", fit.toString()));
        assertTrue(b.out().contains("peak RAM") && b.out().contains("<- chosen") && b.out().contains("RAM ≤ 200 B"), b.out());
        assertTrue(Model.load(fit).report().arenaBytes() <= 200);
    }
}
