package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.simd.ConvInt8Simd;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.List;

/**
 * TFLite int8 convolution: int8 input/output per tensor, int8 filter per output channel, int32 bias.
 * As in TensorFlow Lite Micro, there is one reference kernel ({@link Conv2dInt8Reference}: the
 * definition, plain loops) and fast variants, each its own class, chosen once by {@link #prepare}
 * from the geometry, the weights and the JVM:
 * <ul>
 * <li>{@link Conv2dInt8ByRows}: one input channel and wide rows (a grayscale stem), a multiply-add per
 * filter tap over a whole output row;</li>
 * <li>{@link Conv2dInt8Packed}: a gathered receptive field and two output channels per 64-bit
 * multiply-add;</li>
 * <li>{@link Conv2dInt8Interior4}: the packed kernel with blocks of four interior pixels on the
 * Vector API;</li>
 * <li>{@link Conv2dInt8Planes}: stride 1 with too few output channels for a vector, the output pixels
 * across the lanes, one input channel's plane at a time;</li>
 * <li>{@link Conv2dInt8Bands}: without vector kernels, exact float sums over bands of output rows in
 * planes that C2's auto-vectorizer vectorizes on JDK 17.</li>
 * </ul>
 * Integer sums do not depend on their order, so every variant is bit-identical to the reference
 * (Int8FastPathTest checks it). This class holds the filter and the definition (the reference loops);
 * {@link Int8ConvKernel} the bias and the requantization. Running allocates nothing; instances are immutable.
 */
public abstract sealed class Conv2dInt8 extends Int8ConvKernel permits Conv2dInt8Reference, Conv2dInt8Packed, Conv2dInt8ByRows, Conv2dInt8Planes, Conv2dInt8Bands {
    final byte[] w;        // OHWI, as TFLite keeps it: the dot product runs over contiguous input channels

    Conv2dInt8(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        super(g, filterScales, bias, in, out, act);
        if (filterOhwi.length != g.kH() * g.kW() * g.inC() * g.outC()) throw new IllegalArgumentException("filter size does not match the geometry");
        if (filterScales.length != g.outC()) throw new IllegalArgumentException("filter has " + filterScales.length + " scales for " + g.outC() + " channels");
        this.w = filterOhwi.clone();
    }

    /** The fastest kernel for this convolution on this JVM (see {@link #prepare(ConvGeometry, byte[], float[], int[], QuantParams, QuantParams, Activation, boolean)}). */
    public static Conv2dInt8 prepare(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        // both vector kernels keep their accumulators in registers on JDK 17 too (0 B per call, 2.8-4.5x the
        // packed loops on the detector's convs), once no int vector of a second shape runs in the JVM
        return prepare(g, filterOhwi, filterScales, bias, in, out, act, VectorSupport.fixedRegisterKernels());
    }

    /**
     * Chooses the kernel. With {@code vector} (and the module present) the by-rows kernel multiplies
     * on the Vector API, and the packed one hands interior pixels to {@link ConvInt8Simd} when there is
     * a whole vector of output channels; its accumulators stay in registers on JDK 17 too. A bias so
     * large that a packed lane could overflow gets the reference kernel.
     */
    public static Conv2dInt8 prepare(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                                     boolean vector) {
        return choose(g, filterOhwi, filterScales, bias, in, out, act, vector, vector && VectorSupport.vectorRequantization(), true);
    }

    /**
     * {@link #prepare(ConvGeometry, byte[], float[], int[], QuantParams, QuantParams, Activation, boolean)} with the requantization
     * chosen too, and kept whatever {@link VectorGuard} sees (the tests run both).
     */
    public static Conv2dInt8 prepare(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                                     boolean vector, boolean vectorRequantization) {
        return choose(g, filterOhwi, filterScales, bias, in, out, act, vector, vectorRequantization, false);
    }

    private static Conv2dInt8 choose(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act,
                                     boolean vector, boolean vectorRequantization, boolean guarded) {
        vector &= VectorSupport.modulepresent();
        vectorRequantization &= vector;
        // without vector kernels, the float bands are the one kernel C2 vectorizes (1.2-2.1x the packed and by-rows loops on the detector's shapes)
        if (!vector && Conv2dInt8Bands.fits(g)) return new Conv2dInt8Bands(g, filterOhwi, filterScales, bias, in, out, act);
        if (Conv2dInt8ByRows.fits(g)) return new Conv2dInt8ByRows(g, filterOhwi, filterScales, bias, in, out, act, vector, vectorRequantization, guarded);
        if (!Conv2dInt8Packed.fits(g, bias)) return new Conv2dInt8Reference(g, filterOhwi, filterScales, bias, in, out, act);
        if (vector && ConvInt8Simd.fits(g.outC())) return new Conv2dInt8Interior4(g, filterOhwi, filterScales, bias, in, out, act, vectorRequantization, guarded);
        if (vector && Conv2dInt8Planes.fits(g)) return new Conv2dInt8Planes(g, filterOhwi, filterScales, bias, in, out, act, guarded);
        return new Conv2dInt8Packed(g, filterOhwi, filterScales, bias, in, out, act);
    }

    /**
     * The kernel {@link KernelDispatch} chooses for op {@code op} in {@code mode}: {@link #prepare}'s
     * pick (by shape), or the fastest of every variant that fits (timed), each self-checked against the
     * reference on a pseudo-random input first.
     */
    public static KernelDispatch.Chosen<Conv2dInt8> dispatch(String op, KernelDispatch.Mode mode, ConvGeometry g, byte[] filterOhwi, float[] filterScales,
                                                             int[] bias, QuantParams in, QuantParams out, Activation act) {
        Conv2dInt8 reference = reference(g, filterOhwi, filterScales, bias, in, out, act);
        List<Conv2dInt8> all = new ArrayList<>(List.of(reference));
        if (mode == KernelDispatch.Mode.TIMED) {
            boolean module = VectorSupport.modulepresent();
            if (Conv2dInt8Bands.fits(g)) all.add(new Conv2dInt8Bands(g, filterOhwi, filterScales, bias, in, out, act));
            if (Conv2dInt8ByRows.fits(g)) {
                all.add(new Conv2dInt8ByRows(g, filterOhwi, filterScales, bias, in, out, act, false));
                if (module) all.add(new Conv2dInt8ByRows(g, filterOhwi, filterScales, bias, in, out, act, true));
            }
            if (Conv2dInt8Packed.fits(g, bias)) {
                all.add(new Conv2dInt8Packed(g, filterOhwi, filterScales, bias, in, out, act));
                if (module && ConvInt8Simd.fits(g.outC())) all.add(new Conv2dInt8Interior4(g, filterOhwi, filterScales, bias, in, out, act));
                if (module && Conv2dInt8Planes.fits(g)) all.add(new Conv2dInt8Planes(g, filterOhwi, filterScales, bias, in, out, act, true));
            }
        }
        return KernelDispatch.chooseInt8(op, mode, prepare(g, filterOhwi, filterScales, bias, in, out, act), reference, all, g, g.outC() * 31L + g.kH());
    }

    /** The reference kernel alone: what the variants must equal bit for bit. */
    public static Conv2dInt8 reference(ConvGeometry g, byte[] filterOhwi, float[] filterScales, int[] bias, QuantParams in, QuantParams out, Activation act) {
        return new Conv2dInt8Reference(g, filterOhwi, filterScales, bias, in, out, act);
    }

    /** TFLite's definition: each output the dot product of its window with the channel's filter, requantized. */
    @Override
    final void referenceRows(byte[] in, int inOff, byte[] out, int outOff, int from, int to) {
        final int outC = g.outC(), outW = g.outW();
        for (int oh = from; oh < to; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                int o = outOff + (oh * outW + ow) * outC;
                for (int oc = 0; oc < outC; oc++) out[o + oc] = requantize(dot(in, inOff, oh, ow, oc), oc);
            }
        }
    }

    /** bias + Σ (x − zero point) · w over output pixel (oh, ow)'s window; the padding holds the zero point and adds nothing. */
    private int dot(byte[] in, int inOff, int oh, int ow, int oc) {
        final int inC = g.inC(), inW = g.inW(), inH = g.inH(), kW = g.kW(), kH = g.kH();
        int ih0 = oh * g.strideH() - g.padTop(), iw0 = ow * g.strideW() - g.padLeft();
        int acc = bias[oc], wo = oc * kH * kW * inC;
        for (int kh = g.firstRow(oh); kh < g.endRow(oh); kh++) {
            int ih = ih0 + kh;
            for (int kw = g.firstColumn(ow); kw < g.endColumn(ow); kw++) {
                int iw = iw0 + kw;
                int xb = inOff + (ih * inW + iw) * inC;
                int wb = wo + (kh * kW + kw) * inC;
                for (int ic = 0; ic < inC; ic++) acc += (in[xb + ic] - inZp) * w[wb + ic];
            }
        }
        return acc;
    }
}
