package dev.winnow.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.tools.onnx.GraphSlice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code winnow export onnx}: writes a model ONNX Runtime loads (the detector without detect), refuses unexportable ops by name and writes nothing then. */
class ExportCommandTest {
    @TempDir Path tmp;

    @Test
    void exportsTheDetectorBackboneForOnnxRuntime() throws Exception {
        var detector = ArtifactReader.read(Path.of("detector/person-detector-int8.wnm"));
        Path wnm = Files.write(tmp.resolve("backbone.wnm"),
                GraphSlice.of(detector, "backbone", n -> !n.equals("detect")));
        Path onnx = tmp.resolve("backbone.onnx");
        CliRun.Result r = CliRun.winnow("export", "onnx", "--model", wnm.toString(), "--out", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote"), r.out());
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of("image"), s.getInputNames());
            assertEquals(java.util.Set.of("score_f", "box_f"), s.getOutputNames());
        }
    }

    @Test
    void refusesDetectByNameAndWritesNothing() {
        Path onnx = tmp.resolve("detector.onnx");
        CliRun.Result r = CliRun.winnow("export", "onnx", "--model", "detector/person-detector-float.wnm", "--out", onnx.toString());
        assertEquals(Exits.BAD_DATA, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("'detect'"), r.err());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void stopBeforeExportsTheDetectorWithoutItsDecodeOp() throws Exception {
        Path onnx = tmp.resolve("detector.onnx");
        CliRun.Result r = CliRun.winnow("export", "onnx", "--model", "detector/person-detector-float.wnm", "--stop-before", "detect", "--out", onnx.toString());
        assertEquals(0, r.code(), r.err());
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertEquals(java.util.Set.of("score", "box"), s.getOutputNames());
        }
        CliRun.Result unknown = CliRun.winnow("export", "onnx", "--model", "detector/person-detector-float.wnm", "--stop-before", "nms", "--out", onnx.toString() + "2");
        assertEquals(Exits.INVALID_ARTIFACT, unknown.code());
        assertTrue(unknown.err().contains("no node 'nms'"), unknown.err());
        assertFalse(Files.exists(tmp.resolve("detector.onnx2")));
    }

    @Test
    void missingModelAndUnknownOptionAreUserErrors() {
        CliRun.Result missing = CliRun.winnow("export", "onnx", "--model", tmp.resolve("none.wnm").toString(), "--out", tmp.resolve("x.onnx").toString());
        assertEquals(Exits.INPUT, missing.code());
        assertTrue(missing.err().contains("none.wnm"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertEquals(Exits.USAGE, CliRun.winnow("export", "onnx", "--frobnicate").code());
        assertFalse(Files.exists(tmp.resolve("x.onnx")));
    }
}
