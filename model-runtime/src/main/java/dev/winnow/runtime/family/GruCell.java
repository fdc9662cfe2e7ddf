package dev.winnow.runtime.family;

import dev.winnow.runtime.kernel.base.FastMath;

/**
 * A GRU cell, EdgeML's form (reset applied to the state before U):
 * <pre>
 *   z = sigmoid(W_z x + U_z h + b_z),  r = sigmoid(W_r x + U_r h + b_r)
 *   h~ = tanh(W_h x + U_h (r ⊙ h) + b_h),  h = z ⊙ h + (1 − z) ⊙ h~
 * </pre>
 * W is [3·hidden][input] (gates z, r, h stacked), U is [3·hidden][hidden], biases [3·hidden].
 */
public final class GruCell {
    private final int input, hidden;
    private final float[] w, u, b;

    public GruCell(int input, int hidden, float[] w, float[] u, float[] b) {
        if (w.length != 3 * hidden * input || u.length != 3 * hidden * hidden || b.length != 3 * hidden) {
            throw new IllegalArgumentException("GRU weights must be W [3h][in], U [3h][h], b [3h]");
        }
        this.input = input;
        this.hidden = hidden;
        this.w = w.clone();
        this.u = u.clone();
        this.b = b.clone();
    }

    public int hidden() { return hidden; }
    public int scratchSize() { return 3 * hidden; }
    public long macsPerStep() { return 3L * hidden * (input + hidden) + 4L * hidden; }
    public long parameters() { return (long) w.length + u.length + b.length; }

    public void step(float[] x, int xOff, float[] h, int hOff, float[] s, int sOff) {
        final int z = sOff, r = sOff + hidden, rh = sOff + 2 * hidden;
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < hidden; i++) {
                int row = g * hidden + i;
                float acc = b[row];
                for (int c = 0; c < input; c++) acc += w[row * input + c] * x[xOff + c];
                for (int c = 0; c < hidden; c++) acc += u[row * hidden + c] * h[hOff + c];
                s[sOff + row] = FastMath.sigmoid(acc);
            }
        }
        for (int i = 0; i < hidden; i++) s[rh + i] = s[r + i] * h[hOff + i];
        // r ⊙ h is complete before any state element changes; the update can then go in place
        for (int i = 0; i < hidden; i++) {
            int row = 2 * hidden + i;
            float acc = b[row];
            for (int c = 0; c < input; c++) acc += w[row * input + c] * x[xOff + c];
            for (int c = 0; c < hidden; c++) acc += u[row * hidden + c] * s[rh + c];
            s[r + i] = FastMath.tanh(acc); // r is no longer needed: reuse it for h~
        }
        for (int i = 0; i < hidden; i++) {
            float zi = s[z + i];
            h[hOff + i] = zi * h[hOff + i] + (1f - zi) * s[r + i];
        }
    }

    public void run(float[] x, int xOff, int steps, int stride, boolean backward, float[] h, int hOff, float[] s, int sOff) {
        java.util.Arrays.fill(h, hOff, hOff + hidden, 0f);
        for (int t = 0; t < steps; t++) step(x, xOff + (backward ? steps - 1 - t : t) * stride, h, hOff, s, sOff);
    }
}
