package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.base.FastMath;
import dev.winnow.runtime.quant.FixedPoint;

/**
 * ProtoNN (Gupta et al., ICML 2017): project x with W to d̂ dimensions, compare with m learned
 * prototypes under an RBF kernel, and sum their label vectors: y = Σ_j Z_j exp(−γ² ‖B_j − W x‖²).
 * Matrices here are row-major: W [d̂][D], B [m][d̂] (one prototype per row), Z [m][L].
 *
 * <p>W and Z are kept as their non-zeros only (row-compressed), so a pruned model costs, and is
 * reported as costing, only what it computes: MACs = nnz(W) + m·d̂ + nnz(Z). Every prototype's
 * distance needs all d̂ coordinates whatever B's sparsity, so B's zeros save parameters, not MACs.
 * {@link Int8} is the integer form. Immutable; {@link #predict} allocates nothing.
 */
public final class ProtoNn {
    private final int features, projection, prototypes, classes;
    private final int[] wStart, wCol;
    private final float[] wVal;
    private final float[] b;
    private final int[] zStart, zCol;
    private final float[] zVal;
    private final int bNonZeros;
    private final float gamma2;

    public ProtoNn(int features, int projection, int prototypes, int classes, float[] w, float[] b, float[] z, float gamma) {
        if (w.length != projection * features || b.length != prototypes * projection || z.length != prototypes * classes) {
            throw new IllegalArgumentException("ProtoNN shapes do not match: W " + w.length + ", B " + b.length + ", Z " + z.length);
        }
        this.features = features;
        this.projection = projection;
        this.prototypes = prototypes;
        this.classes = classes;
        Csr cw = Csr.of(w, projection, features);
        wStart = cw.start();
        wCol = cw.col();
        wVal = cw.val();
        this.b = b.clone();
        Csr cz = Csr.of(z, prototypes, classes);
        zStart = cz.start();
        zCol = cz.col();
        zVal = cz.val();
        bNonZeros = Csr.nonZeros(b);
        this.gamma2 = gamma * gamma;
    }

    public int features() { return features; }
    public int projection() { return projection; }
    public int prototypes() { return prototypes; }
    public int classes() { return classes; }
    public float gamma() { return (float) Math.sqrt(gamma2); }
    public int scratchSize() { return projection; }
    /** Non-zero weights plus γ. */
    public long parameters() { return (long) wVal.length + bNonZeros + zVal.length + 1; }
    public long macs() { return macs(wVal.length, prototypes, projection, zVal.length); }

    static long macs(long wNnz, int prototypes, int projection, long zNnz) {
        return wNnz + (long) prototypes * projection + zNnz;
    }

    public void predict(float[] x, int xOff, float[] scores, int sOff, float[] s, int scratchOff) {
        for (int r = 0; r < projection; r++) {
            float acc = 0f;
            for (int k = wStart[r]; k < wStart[r + 1]; k++) acc += wVal[k] * x[xOff + wCol[k]];
            s[scratchOff + r] = acc;
        }
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        for (int j = 0; j < prototypes; j++) {
            float d2 = 0f;
            for (int r = 0; r < projection; r++) {
                float d = b[j * projection + r] - s[scratchOff + r];
                d2 += d * d;
            }
            float k = FastMath.exp(-gamma2 * d2);
            for (int q = zStart[j]; q < zStart[j + 1]; q++) scores[sOff + zCol[q]] += zVal[q] * k;
        }
    }

    /**
     * ProtoNN in integer arithmetic, TFLite style:
     * <ol>
     * <li>the input arrives int8, asymmetric per tensor (scale s_x, zero point z_x, from calibration);</li>
     * <li>W is int8 symmetric per row (scale s_W[r]); W·(x − z_x) accumulates in int32;</li>
     * <li>the projection is requantized into B's scale s_B by a fixed-point multiplier and shift
     * per row (M_r = s_W[r]·s_x/s_B, a Q31 multiplier and a right shift, applied in 64 bits) and kept as an int32 clamped to ±{@link #P_LIMIT} — wider than
     * int8, so a point projected outside the prototypes' range is not folded back onto it;</li>
     * <li>B is int8 symmetric per tensor; squared distances ‖B_j − p‖² accumulate in int32
     * (|B_j − p| ≤ 127 + P_LIMIT, so d̂ ≤ {@link #MAX_PROJECTION} cannot overflow);</li>
     * <li>the kernel exp(−γ² s_B² d²) and Σ_j Z_j·k_j are in float, with Z from its int8 values and scale.</li>
     * </ol>
     */
    public static final class Int8 {
        /** Clamp of the requantized projection, in units of s_B (8× B's int8 range). */
        public static final int P_LIMIT = 1016;
        /** Largest d̂ whose squared distances fit in int32: (127 + 1016)² · 1642 < 2^31. */
        public static final int MAX_PROJECTION = 1642;

        private final int features, projection, prototypes, classes;
        private final int[] wStart, wCol;
        private final byte[] wVal;
        private final int[] mult, rshift;
        private final int inZero;
        private final byte[] b;
        private final int bNonZeros;
        private final int[] zStart, zCol;
        private final float[] zVal;
        private final float kScale; // γ² s_B²

        /**
         * @param w8 W [d̂][D] int8 with a symmetric scale per row {@code wScale} (length d̂)
         * @param b8 B [m][d̂] int8 with the symmetric per-tensor scale {@code bScale}
         * @param z  Z [m][L] as real numbers (e.g. int8 values times their scale)
         */
        public Int8(int features, int projection, int prototypes, int classes, float inScale, int inZeroPoint,
                    byte[] w8, float[] wScale, byte[] b8, float bScale, float[] z, float gamma) {
            if (w8.length != projection * features || wScale.length != projection || b8.length != prototypes * projection || z.length != prototypes * classes) {
                throw new IllegalArgumentException("ProtoNN int8 shapes do not match: W " + w8.length + " (" + wScale.length + " scales), B " + b8.length + ", Z " + z.length);
            }
            if (projection > MAX_PROJECTION) throw new IllegalArgumentException("int8 ProtoNN supports d̂ ≤ " + MAX_PROJECTION + ", has " + projection);
            if (!(inScale > 0) || !(bScale > 0)) throw new IllegalArgumentException("scales must be > 0");
            this.features = features;
            this.projection = projection;
            this.prototypes = prototypes;
            this.classes = classes;
            this.inZero = inZeroPoint;
            Csr cw = Csr.of(w8, projection, features);
            wStart = cw.start();
            wCol = cw.col();
            wVal = cw.int8Values();
            mult = new int[projection];
            rshift = new int[projection];
            for (int r = 0; r < projection; r++) {
                FixedPoint.Multiplier mq = FixedPoint.quantizeMultiplier((double) wScale[r] * inScale / bScale);
                mult[r] = mq.multiplier();
                rshift[r] = 31 - mq.shift(); // in [1, 62]: quantizeMultiplier keeps shift in [-31, 30]
            }
            this.b = b8.clone();
            int bn = 0;
            for (byte v : b8) if (v != 0) bn++;
            bNonZeros = bn;
            Csr cz = Csr.of(z, prototypes, classes);
            zStart = cz.start();
            zCol = cz.col();
            zVal = cz.val();
            kScale = (float) ((double) gamma * gamma * bScale * bScale);
        }

        public int features() { return features; }
        public int classes() { return classes; }
        /** int32 scratch: the requantized projection. */
        public int scratchInts() { return projection; }
        public long parameters() { return (long) wVal.length + bNonZeros + zVal.length + 1; }
        public long macs() { return ProtoNn.macs(wVal.length, prototypes, projection, zVal.length); }

        /** Class scores of the int8 input at {@code xOff}; {@code p} holds d̂ ints of scratch. */
        public void predict(byte[] x, int xOff, float[] scores, int sOff, int[] p, int pOff) {
            for (int r = 0; r < projection; r++) {
                int acc = 0;
                for (int k = wStart[r]; k < wStart[r + 1]; k++) acc += wVal[k] * (x[xOff + wCol[k]] - inZero);
                // acc · M with M = mult · 2^-rshift, in 64 bits so no accumulator can overflow, rounded half up
                long q = ((long) acc * mult[r] + (1L << (rshift[r] - 1))) >> rshift[r];
                p[pOff + r] = q < -P_LIMIT ? -P_LIMIT : (q > P_LIMIT ? P_LIMIT : (int) q);
            }
            java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
            for (int j = 0; j < prototypes; j++) {
                int d2 = 0, o = j * projection;
                for (int r = 0; r < projection; r++) {
                    int d = b[o + r] - p[pOff + r];
                    d2 += d * d;
                }
                float kj = FastMath.exp(-kScale * d2);
                for (int q = zStart[j]; q < zStart[j + 1]; q++) scores[sOff + zCol[q]] += zVal[q] * kj;
            }
        }
    }
}
