package dev.winnow.runtime.kernel;

import dev.winnow.runtime.kernel.base.Requantizer;
import dev.winnow.runtime.kernel.simd.DenseSimd;
import dev.winnow.runtime.quant.QuantParams;

/** Fully connected layer: out = act(W x + b) with W as {@code [out][in]}. */
public final class Dense {
    private Dense() {}

    public static long macs(int in, int out) {
        return (long) in * out;
    }

    public static final class Float32 {
        private final int in;
        private final int outN;
        private final float[] w;
        private final float[] bias;
        private final float min;
        private final float max;
        private final boolean vector;

        public Float32(int in, int out, float[] weights, float[] bias, Activation act) {
            this(in, out, weights, bias, act, VectorSupport.available());
        }

        public Float32(int in, int out, float[] weights, float[] bias, Activation act, boolean vector) {
            if (weights.length != in * out) throw new IllegalArgumentException("dense weights have " + weights.length + " values, expected " + in * out);
            this.in = in;
            this.outN = out;
            this.w = weights.clone();
            this.bias = bias == null ? new float[out] : bias.clone();
            this.min = act.min;
            this.max = act.max;
            this.vector = vector;
        }

        public int inputs() { return in; }
        public int outputs() { return outN; }

        public void run(float[] x, int xOff, float[] out, int outOff) {
            if (vector) {
                DenseSimd.dense(in, outN, w, bias, min, max, x, xOff, out, outOff);
                return;
            }
            for (int o = 0; o < outN; o++) {
                float acc = bias[o];
                int wb = o * in;
                for (int i = 0; i < in; i++) acc += w[wb + i] * x[xOff + i];
                out[outOff + o] = Math.min(max, Math.max(min, acc));
            }
        }
    }

    /** TFLite int8 fully connected; weight scales may be per tensor (one) or per output row. */
    public static final class Int8 {
        private final int in;
        private final int outN;
        private final byte[] w;
        private final int[] bias;
        private final Requantizer requantizer;

        public Int8(int in, int out, byte[] weights, float[] weightScales, int[] bias, QuantParams input, QuantParams output, Activation act) {
            if (weights.length != in * out) throw new IllegalArgumentException("dense weights have " + weights.length + " values, expected " + in * out);
            this.in = in;
            this.outN = out;
            this.w = weights.clone();
            this.bias = new int[out];
            for (int o = 0; o < out; o++) {
                // fold the input zero point into the bias once: sum((x - zp) w) = sum(x w) - zp sum(w)
                int rowSum = 0;
                for (int i = 0; i < in; i++) rowSum += weights[o * in + i];
                this.bias[o] = (bias == null ? 0 : bias[o]) - input.zeroPoint() * rowSum;
            }
            this.requantizer = new Requantizer(out, input.scale(), weightScales, output.scale(), output.zeroPoint(), act.qmin(output), act.qmax(output));
        }

        public void run(byte[] x, int xOff, byte[] out, int outOff) {
            for (int o = 0; o < outN; o++) {
                int acc = 0;
                int wb = o * in;
                for (int i = 0; i < in; i++) acc += x[xOff + i] * w[wb + i];
                out[outOff + o] = requantizer.apply(acc + bias[o], o);
            }
        }
    }
}
