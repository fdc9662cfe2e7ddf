package dev.winnow.runtime.format;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Realistic small artifacts with every codec, for format tests. */
final class SampleArtifacts {
    static final KeyPair KEYS = Ed25519Keys.generate();

    private SampleArtifacts() {}

    static Metadata metadata() {
        return Metadata.builder("letter-bonsai", "bonsai")
                .description("Bonsai über Letter-26 ✓")
                .input("features", new int[] {16}, "float32", "features", Map.of("scale", 0.0625))
                .labels(List.of("A", "B", "C"))
                .metric("accuracy", 0.951)
                .provenance("seed", 42L)
                .put("future_key", Map.of("nested", List.of(1L, 2.5, "x", true)))
                .build();
    }

    static ArtifactWriter writer(long seed) {
        Random r = new Random(seed);
        ArtifactWriter w = new ArtifactWriter(metadata());
        float[] f = new float[24];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        w.addFloat32("dense.w", new int[] {4, 6}, f);
        byte[] q = new byte[4 * 3 * 3 * 2];
        r.nextBytes(q);
        w.addInt8("conv.filter", new int[] {4, 3, 3, 2}, q,
                QuantizationInfo.symmetric(0, new float[] {0.01f, 0.02f, 0.03f, 0.04f}), true);
        w.addInt32("conv.bias", new int[] {4}, new int[] {1, -2, 300000, -400000});
        w.addInt16("q15", new int[] {5}, new short[] {0, 1, -1, 32767, -32768}, QuantizationInfo.perTensor(1f / 32768, 0), false);
        w.addBinary("bin.w", new int[] {3, 70}, new long[] {-1L, 0x3FL, 0x5555L, 0x1L, 0L, 0x2AL},
                new float[] {0.5f, 0.25f, 0.125f}, false);
        w.addCodebook("shared.w", new int[] {2, 5}, new float[] {-1f, 0f, 0.5f}, new int[] {0, 1, 2, 2, 1, 0, 0, 1, 2, 2}, true);
        w.addSparse("Z", new int[] {3, 4}, new int[] {1, 5, 11}, new float[] {1.5f, -2f, 3f}, false);
        w.addSparseInt8("Zq", new int[] {10}, new int[] {0, 9}, new byte[] {-5, 7}, QuantizationInfo.perTensor(0.1f, 0), true);
        w.addFloat32("scalar", new int[0], new float[] {3.25f});
        return w;
    }

    static byte[] unsigned() {
        return writer(1).toBytes();
    }

    static byte[] signed() {
        return writer(1).toBytesSigned(KEYS.getPrivate(), KEYS.getPublic());
    }
}
