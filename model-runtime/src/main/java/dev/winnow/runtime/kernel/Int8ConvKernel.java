package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.quant.QuantParams;

/**
 * What the int8 convolutions ({@link Conv2dInt8}, {@link DepthwiseConv2dInt8}) share: the geometry,
 * the int32 bias, the input zero point and the per-channel requantization, computed once; and the
 * way every variant runs. Each op defines itself by {@link #referenceRows}, TFLite's plain loops:
 * that is what runs unless a fast variant overrides {@link #run(byte[], int, byte[], int, int[], int)},
 * and what a self-check compares against ({@link #runRows}).
 */
abstract sealed class Int8ConvKernel implements KernelDispatch.Variant<byte[]> permits Conv2dInt8, DepthwiseConv2dInt8 {
    final ConvGeometry g;
    final int[] bias;
    final int inZp;
    final Requantizer requantizer;

    Int8ConvKernel(ConvGeometry g, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        this.g = g;
        this.bias = bias == null ? new int[g.outC()] : bias.clone();
        if (this.bias.length != g.outC()) throw new IllegalArgumentException("bias has " + this.bias.length + " values for " + g.outC() + " channels");
        this.requantizer = new Requantizer(g.outC(), in.scale(), filterScales, out.scale(), out.zeroPoint(), act.qmin(out), act.qmax(out));
        this.inZp = in.zeroPoint();
    }

    /** The op's definition over output rows [from, to): plain loops, no scratch. */
    abstract void referenceRows(byte[] in, int inOff, byte[] out, int outOff, int from, int to);

    public ConvGeometry geometry() { return g; }

    /** int32 scratch {@link #run(byte[], int, byte[], int, int[], int)} needs: none for the reference loops. */
    public int scratchInts() { return 0; }

    /**
     * Float planes {@link #run(byte[], int, byte[], int, int[], int, float[][])} needs, each of {@link #planeFloats()}
     * floats and each its own array: none but for the float-band kernels ({@link Conv2dInt8Bands}, {@link DepthwiseInt8Bands}).
     */
    public int planes() { return 0; }

    /** The length of each of the {@link #planes()}. */
    public int planeFloats() { return 0; }

    /**
     * Runs over the caller's scratch (the arena's), allocating nothing: the reference loops unless a variant overrides it.
     * A kernel that needs {@link #planes()} refuses it ({@link IllegalStateException}): call the form with planes.
     */
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff) {
        if (planes() > 0) throw new IllegalStateException(name() + " runs on the arena's planes: call run(..., planes)");
        referenceRows(in, inOff, out, outOff, 0, g.outH());
    }

    /** Runs over the caller's int scratch and float planes (the arena's): the variants that take no planes ignore them. */
    public void run(byte[] in, int inOff, byte[] out, int outOff, int[] s, int sOff, float[][] planes) {
        run(in, inOff, out, outOff, s, sOff);
    }

    /** Runs with scratch of its own, allocated here when the kernel needs any (the reference needs none): for tests and one-off calls. */
    public final void run(byte[] in, int inOff, byte[] out, int outOff) {
        int n = scratchInts();
        run(in, inOff, out, outOff, n == 0 ? NO_SCRATCH : new int[n], 0, planes() == 0 ? NO_PLANES : new float[planes()][planeFloats()]);
    }

    private static final int[] NO_SCRATCH = new int[0];
    private static final float[][] NO_PLANES = new float[0][];

    @Override
    public final void runOnce(byte[] in, byte[] out) {
        run(in, 0, out, 0);
    }

    /** Output rows [from, to) by the reference loops alone: a self-check compares a few rows, not the whole output. */
    @Override
    public final void runRows(byte[] in, byte[] out, int from, int to) {
        referenceRows(in, 0, out, 0, from, to);
    }

    /** An int32 accumulator of output channel {@code oc} as the output's int8. */
    final byte requantize(int acc, int oc) {
        return requantizer.apply(acc, oc);
    }
}
