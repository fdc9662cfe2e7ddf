package dev.winnow.tools.imports;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.family.Bonsai;
import dev.winnow.runtime.family.FastGrnnCell;
import dev.winnow.runtime.family.ProtoNn;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EdgeML-layout .npy files written here with known contents import into artifacts that compute the same model. */
class EdgeMlImporterTest {
    @TempDir Path dir;

    static float[] transpose(float[] m, int r, int c) {
        float[] t = new float[m.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j * r + i] = m[i * c + j];
        return t;
    }

    @Test
    void bonsai() throws Exception {
        Random r = new Random(91);
        int d = 16, dim = 17, proj = 10, classes = 26, depth = 2, internal = 3, nodes = 7;
        float[] z = Tensors.gaussian(r, proj * dim, 1);
        for (int i = 0; i < z.length; i++) if (r.nextDouble() < 0.8) z[i] = 0;
        float[] w = Tensors.gaussian(r, classes * nodes * proj, 1), v = Tensors.gaussian(r, classes * nodes * proj, 1), t = Tensors.gaussian(r, internal * proj, 1);
        float[] mean = Tensors.gaussian(r, dim, 1), std = Tensors.uniform(r, dim, 0.5, 2);
        NpyWriter.write(dir, "Z", new int[] {proj, dim}, z);
        NpyWriter.write(dir, "W", new int[] {classes * nodes, proj}, w);
        NpyWriter.write(dir, "V", new int[] {classes * nodes, proj}, v);
        NpyWriter.write(dir, "T", new int[] {internal, proj}, t);
        NpyWriter.write(dir, "mean", new int[] {1, dim}, mean);
        NpyWriter.write(dir, "std", new int[] {1, dim}, std);
        Model m = Model.load(EdgeMlImporter.bonsai(dir, "letter", 1.25f));
        assertEquals("bonsai", m.family());
        assertTrue(m.artifact().tensor("Z").codec() == dev.winnow.runtime.format.Codec.SPARSE, "a 20%-dense Z is stored sparse");
        Bonsai direct = new Bonsai(d, proj, classes, depth, 1.25f, mean, std, z, w, v, t);
        Interpreter it = m.newInterpreter();
        for (int k = 0; k < 20; k++) {
            float[] x = Tensors.gaussian(r, d, 2), a = new float[classes], b = new float[classes];
            it.predict(x, a);
            direct.predict(x, 0, b, 0, new float[direct.scratchSize()], 0);
            assertArrayEquals(b, a, 0f);
        }
    }

    @Test
    void protoNn() throws Exception {
        Random r = new Random(92);
        int d = 16, proj = 6, m = 20, classes = 26;
        float[] w = Tensors.gaussian(r, d * proj, 0.3), b = Tensors.gaussian(r, proj * m, 1), z = Tensors.uniform(r, classes * m, 0, 1);
        NpyWriter.write(dir, "W", new int[] {d, proj}, w);
        NpyWriter.write(dir, "B", new int[] {proj, m}, b);
        NpyWriter.write(dir, "Z", new int[] {classes, m}, z);
        NpyWriter.write(dir, "gamma", new int[0], new float[] {0.8f});
        Model model = Model.load(EdgeMlImporter.protoNn(dir, "letter-protonn"));
        ProtoNn direct = new ProtoNn(d, proj, m, classes, transpose(w, d, proj), transpose(b, proj, m), transpose(z, classes, m), 0.8f);
        float[] x = Tensors.gaussian(r, d, 1), a = model.newInterpreter().predict(x, new float[classes]), e = new float[classes];
        direct.predict(x, 0, e, 0, new float[direct.scratchSize()], 0);
        assertArrayEquals(e, a, 1e-6f);
    }

    @Test
    void lowRankFastGrnnWithClassifier() throws Exception {
        Random r = new Random(93);
        int d = 8, h = 12, rank = 3, classes = 5, steps = 7;
        float[] w1 = Tensors.gaussian(r, d * rank, 0.4), w2 = Tensors.gaussian(r, rank * h, 0.4);
        float[] u1 = Tensors.gaussian(r, h * rank, 0.4), u2 = Tensors.gaussian(r, rank * h, 0.4);
        float[] bg = Tensors.gaussian(r, h, 0.2), bh = Tensors.gaussian(r, h, 0.2), fc = Tensors.gaussian(r, h * classes, 1), fcb = Tensors.gaussian(r, classes, 0.1);
        NpyWriter.write(dir, "W1", new int[] {d, rank}, w1);
        NpyWriter.write(dir, "W2", new int[] {rank, h}, w2);
        NpyWriter.write(dir, "U1", new int[] {h, rank}, u1);
        NpyWriter.write(dir, "U2", new int[] {rank, h}, u2);
        NpyWriter.write(dir, "Bg", new int[] {1, h}, bg);
        NpyWriter.write(dir, "Bh", new int[] {1, h}, bh);
        NpyWriter.write(dir, "zeta", new int[] {1, 1}, new float[] {1.0f});
        NpyWriter.write(dir, "nu", new int[] {1, 1}, new float[] {-4.0f});
        NpyWriter.write(dir, "FC", new int[] {h, classes}, fc);
        NpyWriter.write(dir, "FCbias", new int[] {classes}, fcb);
        Model model = Model.load(EdgeMlImporter.fastGrnn(dir, "gesture", steps));
        FastGrnnCell cell = new FastGrnnCell(d, h, null, transpose(w1, d, rank), transpose(w2, rank, h), null, transpose(u1, h, rank),
                transpose(u2, rank, h), bg, bh, (float) (1 / (1 + Math.exp(-1))), (float) (1 / (1 + Math.exp(4))));
        float[] x = Tensors.gaussian(r, steps * d, 1), state = new float[h];
        cell.run(x, 0, steps, d, false, state, 0, new float[cell.scratchSize()], 0);
        float[] got = model.newInterpreter().predict(x, new float[classes]);
        for (int c = 0; c < classes; c++) {
            double acc = fcb[c];
            for (int j = 0; j < h; j++) acc += fc[j * classes + c] * state[j];
            assertEquals(acc, got[c], 1e-5);
        }
    }

    @Test
    void missingOrMismatchedFilesAreNamed() throws Exception {
        NpyWriter.write(dir, "W", new int[] {4, 2}, new float[8]);
        NpyWriter.write(dir, "B", new int[] {3, 5}, new float[15]);
        NpyWriter.write(dir, "Z", new int[] {2, 5}, new float[10]);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> EdgeMlImporter.protoNn(dir, "x"));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
        Files.delete(dir.resolve("B.npy"));
        e = assertThrows(NpyFormatException.class, () -> EdgeMlImporter.protoNn(dir, "x"));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("B.npy"), e.getMessage());
    }
}
