package dev.winnow.tools.nn;

import java.util.List;
import java.util.Random;

/**
 * A trainable FastGRNN cell with ζ = 1 and ν = 0 fixed, as RNNPool trains it (paper App. G):
 * <pre>
 *   pre = W x + U h;  z = σ(pre + bg);  c = tanh(pre + bh);  h' = z ⊙ h + (1 − z) ⊙ c
 * </pre>
 * W is [hidden][input] and U [hidden][hidden], row-major (the runtime's layout). Sequences keep
 * every state, gate and candidate so that the backward pass (back-propagation through time) needs
 * no recomputation.
 */
public final class FastGrnn {
    public final int input, hidden;
    public final Param w, u, bg, bh;

    public FastGrnn(String name, int input, int hidden, int workers, Random r) {
        this.input = input;
        this.hidden = hidden;
        this.w = new Param(name + ".W", new int[] {hidden, input}, workers).init(r, input, 1.0);
        this.u = new Param(name + ".U", new int[] {hidden, hidden}, workers).init(r, hidden, 0.5);
        this.bg = new Param(name + ".bg", new int[] {hidden}, workers).fill(1f);
        this.bh = new Param(name + ".bh", new int[] {hidden}, workers).fill(0f);
    }

    public List<Param> params() { return List.of(w, u, bg, bh); }

    /** Floats a cached sequence of {@code steps} needs: states (steps+1), gates and candidates. */
    public int cacheSize(int steps) {
        return (3 * steps + 1) * hidden;
    }

    static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    /**
     * Runs {@code steps} inputs (x_t at off + t·stride, stride may be negative) from a zero state.
     * The cache at {@code k} receives states H[0..steps], then Z[0..steps), then C[0..steps); the
     * final state is H[steps], at {@code k + steps·hidden}.
     */
    public void forward(float[] x, int off, int stride, int steps, float[] cache, int k) {
        final int hid = hidden, in = input;
        final float[] W = w.w, U = u.w, BG = bg.w, BH = bh.w;
        final int zBase = k + (steps + 1) * hid, cBase = zBase + steps * hid;
        java.util.Arrays.fill(cache, k, k + hid, 0f);
        for (int t = 0; t < steps; t++) {
            int xo = off + t * stride, h0 = k + t * hid, h1 = h0 + hid, zo = zBase + t * hid, co = cBase + t * hid;
            for (int i = 0; i < hid; i++) {
                float p = 0f;
                int wr = i * in, ur = i * hid;
                for (int j = 0; j < in; j++) p += W[wr + j] * x[xo + j];
                for (int j = 0; j < hid; j++) p += U[ur + j] * cache[h0 + j];
                float z = sigmoid(p + BG[i]);
                float c = (float) Math.tanh(p + BH[i]);
                cache[zo + i] = z;
                cache[co + i] = c;
                cache[h1 + i] = z * cache[h0 + i] + (1f - z) * c;
            }
        }
    }

    /**
     * Back-propagates {@code dh} (the gradient of the final state; overwritten) through the cached
     * sequence; adds the gradient of x_t into {@code gx} at gOff + t·stride (gx may be null) and
     * parameter gradients into the worker's buffers. {@code tmp} needs 2·hidden floats.
     */
    public void backward(float[] x, int off, int stride, int steps, float[] cache, int k, float[] dh, float[] gx, int gOff,
                         int worker, float[] tmp) {
        final int hid = hidden, in = input;
        final float[] W = w.w, U = u.w;
        final float[] gW = w.grad(worker), gU = u.grad(worker), gBg = bg.grad(worker), gBh = bh.grad(worker);
        final int zBase = k + (steps + 1) * hid, cBase = zBase + steps * hid;
        final int dp = 0, dprev = hid;
        for (int t = steps - 1; t >= 0; t--) {
            int xo = off + t * stride, go = gOff + t * stride, h0 = k + t * hid, zo = zBase + t * hid, co = cBase + t * hid;
            for (int i = 0; i < hid; i++) {
                float z = cache[zo + i], c = cache[co + i], h = cache[h0 + i], g = dh[i];
                float dpz = g * (h - c) * z * (1f - z);
                float dpc = g * (1f - z) * (1f - c * c);
                gBg[i] += dpz;
                gBh[i] += dpc;
                tmp[dp + i] = dpz + dpc;
                tmp[dprev + i] = g * z;
            }
            for (int i = 0; i < hid; i++) {
                float p = tmp[dp + i];
                if (p == 0f) continue;
                int wr = i * in, ur = i * hid;
                for (int j = 0; j < in; j++) gW[wr + j] += p * x[xo + j];
                if (gx != null) for (int j = 0; j < in; j++) gx[go + j] += W[wr + j] * p;
                for (int j = 0; j < hid; j++) {
                    gU[ur + j] += p * cache[h0 + j];
                    tmp[dprev + j] += U[ur + j] * p;
                }
            }
            System.arraycopy(tmp, dprev, dh, 0, hid);
        }
    }
}
