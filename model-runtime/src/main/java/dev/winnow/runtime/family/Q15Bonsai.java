package dev.winnow.runtime.family;

import dev.winnow.runtime.quant.Q15;

/**
 * Bonsai in Q15, SeeDot style: everything 16-bit with power-of-two scales, 64-bit accumulation, and
 * tanh approximated as on the device in the paper: x for |x| < 1, sign(x) beyond. Inputs, projection
 * and scores are Q12 (normalised features stay within ±8). Immutable after construction.
 */
public final class Q15Bonsai extends QuantizedBonsai {
    private final short[] z16, w16, v16, t16;
    private final int zf, wf, vf, tf;

    public Q15Bonsai(Bonsai b) {
        super(b);
        Bonsai.Weights w = b.weights();
        zf = Q15.fracBitsFor(w.z());
        wf = Q15.fracBitsFor(w.w());
        vf = Q15.fracBitsFor(w.v());
        tf = Q15.fracBitsFor(w.theta());
        z16 = Q15.quantize(w.z(), zf);
        w16 = Q15.quantize(w.w(), wf);
        v16 = Q15.quantize(w.v(), vf);
        t16 = Q15.quantize(w.theta(), tf);
    }

    /** Scratch floats: the normalised input only (the projection and the tree run in Q12 shorts). */
    @Override
    public int scratchFloats() { return dim; }

    @Override
    public long weightBytes() {
        return 2L * (z16.length + w16.length + v16.length + t16.length) + 16;
    }

    @Override
    void score(float[] scores, int sOff, float[] f, int xn, short[] q, int qOff) {
        final int xf = 12, pf = 12;
        for (int i = 0; i < dim; i++) q[qOff + i] = Q15.quantize(f[xn + i], xf);
        int pq = qOff + dim;
        int projShift = 31 - Integer.numberOfLeadingZeros(proj); // divide by D̂ as a shift when it is a power of two
        boolean pow2 = (1 << projShift) == proj;
        for (int r = 0; r < proj; r++) {
            long acc = 0;
            for (int c = 0; c < dim; c++) acc += (long) z16[r * dim + c] * q[qOff + c];
            long v = Q15.shift(acc, zf + xf - pf);
            q[pq + r] = Q15.saturate(pow2 ? Q15.shift(v, projShift) : Math.round((double) v / proj));
        }
        java.util.Arrays.fill(scores, sOff, sOff + classes, 0f);
        int node = 0;
        int sigmaQ = Q15.quantize(sigma, 10);
        for (int level = 0; ; level++) {
            for (int l = 0; l < classes; l++) addNodeScore(scores, sOff + l, node * classes + l, q, pq, sigmaQ, pf);
            if (level == depth) break;
            long t = 0;
            for (int j = 0; j < proj; j++) t += (long) t16[node * proj + j] * q[pq + j];
            node = t > 0 ? 2 * node + 1 : 2 * node + 2;
        }
    }

    /** scores[at] += (W·x̂) · clip(σ V·x̂, ±1) for one class row, in Q12. */
    private void addNodeScore(float[] scores, int at, int row, short[] q, int pq, int sigmaQ, int pf) {
        long wx = 0, vx = 0;
        for (int j = 0; j < proj; j++) {
            int p = q[pq + j];
            wx += (long) w16[row * proj + j] * p;
            vx += (long) v16[row * proj + j] * p;
        }
        long wxQ = Q15.shift(wx, wf + pf - 12);                       // Q12
        long arg = Q15.shift(Q15.shift(vx, vf + pf - 12) * sigmaQ, 10); // Q12
        long th = Math.max(-(1L << 12), Math.min(1L << 12, arg));       // clip tanh, Q12
        scores[at] += Q15.shift(wxQ * th, 12) / 4096f;
    }
}
