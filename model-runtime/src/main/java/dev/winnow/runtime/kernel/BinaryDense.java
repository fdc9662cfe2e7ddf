package dev.winnow.runtime.kernel;

/**
 * XNOR-Net fully connected layer on bit-packed signs: for ±1 vectors, w·x = 2·popcount(XNOR(w, x)) − n,
 * so 64 multiply-accumulates become one XOR and one POPCNT. out[o] = alpha[o]·beta·(w·x) + bias[o].
 */
public final class BinaryDense extends BinaryLayer {
    private final int in;
    private final int outN;
    private final int words;

    /** From packed rows (ceil(in/64) words each) and alpha per row, as stored in an artifact. */
    public BinaryDense(int in, int out, long[] packedRows, float[] alpha, float[] bias, Activation act) {
        super(packedRows.clone(), alpha.clone(), bias, out, in, act);
        this.in = in;
        this.outN = out;
        this.words = BinaryPacking.words(in);
        if (packedRows.length != words * out) throw new IllegalArgumentException("binary weights have " + packedRows.length + " words, expected " + words * out);
        if (alpha.length != out) throw new IllegalArgumentException("one alpha per output row expected");
    }

    /** Binarizes float weights [out][in]: signs packed, alpha = mean |W| per row. */
    public static BinaryDense fromFloat(int in, int out, float[] weights, float[] bias, Activation act) {
        long[] bits = new long[BinaryPacking.words(in) * out];
        float[] alpha = BinaryPacking.packRows(weights, out, in, bits);
        return new BinaryDense(in, out, bits, alpha, bias, act);
    }

    public static long binaryOps(int in, int out) {
        return (long) in * out;
    }

    public int inputWords() {
        return words;
    }

    public void run(long[] x, int xOff, float beta, float[] out, int outOff) {
        final int last = words - 1;
        for (int o = 0; o < outN; o++) {
            int r = o * words;
            int pop = 0;
            int j = 0;
            for (; j + 4 <= last; j += 4) {
                pop += Long.bitCount(~(w[r + j] ^ x[xOff + j])) + Long.bitCount(~(w[r + j + 1] ^ x[xOff + j + 1]))
                        + Long.bitCount(~(w[r + j + 2] ^ x[xOff + j + 2])) + Long.bitCount(~(w[r + j + 3] ^ x[xOff + j + 3]));
            }
            for (; j < last; j++) pop += Long.bitCount(~(w[r + j] ^ x[xOff + j]));
            pop += Long.bitCount(~(w[r + last] ^ x[xOff + last]) & tailMask);
            float v = alpha[o] * beta * (2 * pop - in) + bias[o];
            out[outOff + o] = Math.min(max, Math.max(min, v));
        }
    }
}
