package dev.winnow.runtime.family;

/**
 * Bonsai with integer arithmetic on the tree: one subclass per arithmetic, chosen when the artifact
 * is loaded ({@code arithmetic: int8 | q15} on the node) rather than by a flag tested per prediction.
 * <ul>
 * <li>{@link Int8Bonsai}: int8 weights with a symmetric scale per row, int32 accumulation, the input
 * and projection quantized per prediction (TFLite's hybrid kernels).</li>
 * <li>{@link Q15Bonsai}: SeeDot style, 16-bit with power-of-two scales and 64-bit accumulation.</li>
 * </ul>
 * What both share lives here: the model's shape and the normalisation (x − μ)/σ, which stays in float
 * in both since it is per feature and cheap.
 */
public abstract sealed class QuantizedBonsai permits Int8Bonsai, Q15Bonsai {
    final int d, dim, proj, classes, depth;
    final float sigma;
    private final float[] mean, invStd;

    QuantizedBonsai(Bonsai b) {
        this.d = b.features();
        this.dim = d + 1;
        this.proj = b.projection();
        this.classes = b.classes();
        this.depth = b.depth();
        this.sigma = b.sigma();
        this.mean = b.weights().mean();
        this.invStd = b.weights().invStd();
    }

    /** Scratch floats {@link #predict} needs at {@code fOff}. */
    public abstract int scratchFloats();

    /** Scratch shorts {@link #predict} needs at {@code qOff}: the quantized input and projection. */
    public int scratchInts() { return dim + proj; }

    /** Bytes of the weights as this arithmetic holds them (padding left out). */
    public abstract long weightBytes();

    /** Scores of the row at {@code x[xOff..]} into {@code scores[sOff..]}; allocates nothing. */
    public final void predict(float[] x, int xOff, float[] scores, int sOff, float[] f, int fOff, short[] q, int qOff) {
        for (int i = 0; i < d; i++) f[fOff + i] = (x[xOff + i] - mean[i]) * invStd[i];
        f[fOff + d] = (1f - mean[d]) * invStd[d];
        score(scores, sOff, f, fOff, q, qOff);
    }

    /** The tree on the normalised input at {@code f[xn..xn + dim)}; the floats after it are scratch. */
    abstract void score(float[] scores, int sOff, float[] f, int xn, short[] q, int qOff);
}
