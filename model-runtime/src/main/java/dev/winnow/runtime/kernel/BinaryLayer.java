package dev.winnow.runtime.kernel;

/**
 * What the XNOR-Net kernels ({@link BinaryDense}, {@link BinaryConv2d}) share: the filters' signs
 * packed into words with XNOR-Net's alpha per output, the bias, the activation's clamp, and the mask
 * of the bits that count in the last word of a run of signs.
 */
abstract class BinaryLayer {
    final long[] w;
    final float[] alpha;
    final float[] bias;
    final float min;
    final float max;
    final long tailMask;

    /** {@code runLength}: the signs one packed run holds (a row's inputs, or a pixel's channels). */
    BinaryLayer(long[] w, float[] alpha, float[] bias, int outputs, int runLength, Activation act) {
        this.w = w;
        this.alpha = alpha;
        this.bias = bias == null ? new float[outputs] : bias.clone();
        this.min = act.min;
        this.max = act.max;
        this.tailMask = (runLength & 63) == 0 ? -1L : (1L << (runLength & 63)) - 1;
    }
}
