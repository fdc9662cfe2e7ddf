package dev.winnow.runtime.kernel.simd;

import dev.winnow.runtime.kernel.base.FastMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API step of the float FastGRNN cell ({@code FastGrnnCell}), hidden units across the lanes.
 * Every lane does the scalar cell's float operations in the same order (multiply, then add: no fused
 * multiply-add), and exp is {@link FastMath#exp}'s own reduction and polynomial, so the states are the
 * scalar cell's bit for bit; the rare lanes where exp leaves that polynomial (an argument above 88, or
 * NaN) are redone by the scalar code.
 */
public final class FastGrnnSimd {
    // one species for every cell, a constant, as the Vector API needs to compile to vector instructions: 8 lanes
    // (hidden sizes are multiples of 8 far more often than of 16; RNNPool's cells have 8), 4 on 128-bit hardware.
    // On AVX-512 that is a second float shape beside the convolutions' preferred one, which JDK 17 would compile
    // to boxing code in both; the cells use this path on JDK 21+ only by default (FastGrnnCell), where it does not
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 8 ? FloatVector.SPECIES_256
            : FloatVector.SPECIES_PREFERRED.length() >= 4 ? FloatVector.SPECIES_128 : null;
    private static final int L = S == null ? 0 : S.length();

    private FastGrnnSimd() {}

    /** Whether {@code hidden} units fill whole vectors. */
    public static boolean fits(int hidden) {
        return L > 0 && hidden % L == 0;
    }

    /** Floats of scratch {@link #gates} needs. */
    public static int scratchFloats() {
        return 5 * L;
    }

    /**
     * s[pre + r] (+)= Σ_c m[c·hidden + r] · v[vOff + c] for r < hidden, the terms added in order of c, as
     * the scalar loops do; without {@code accumulate} the sums start from zero.
     */
    public static void columns(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre, boolean accumulate) {
        // two loops rather than one accumulator chosen by a branch: C2 on JDK 17 boxes vectors that meet at a merge point
        if (accumulate) columnsOnto(m, hidden, n, v, vOff, s, pre);
        else columnsFromZero(m, hidden, n, v, vOff, s, pre);
    }

    private static void columnsFromZero(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector acc = FloatVector.zero(S);
            for (int c = 0, k = g; c < n; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, m, k).mul(v[vOff + c]));
            acc.intoArray(s, pre + g);
        }
    }

    private static void columnsOnto(float[] m, int hidden, int n, float[] v, int vOff, float[] s, int pre) {
        for (int g = 0; g < hidden; g += L) {
            FloatVector acc = FloatVector.fromArray(S, s, pre + g);
            for (int c = 0, k = g; c < n; c++, k += hidden) acc = acc.add(FloatVector.fromArray(S, m, k).mul(v[vOff + c]));
            acc.intoArray(s, pre + g);
        }
    }

    /**
     * z = σ(pre + bg), c = tanh(pre + bh), h = z·h + (ζ(1 − z) + ν)·c, for the hidden units, in place;
     * {@code t} holds {@link #scratchFloats} floats.
     */
    public static void gates(float[] s, int pre, float[] bg, float[] bh, float zeta, float nu, float[] h, int hOff, int hidden,
                             float[] t, int tOff) {
        final VectorSpecies<Float> sp = S;
        // exp goes through the scratch, not vector arguments and results: a vector that crosses a call C2 did not inline is boxed
        final int lanes = L, zAt = tOff, cAt = tOff + lanes, hAt = tOff + 2 * lanes, ezAt = tOff + 3 * lanes, ecAt = tOff + 4 * lanes;
        for (int g = 0; g < hidden; g += lanes) {
            FloatVector p = FloatVector.fromArray(sp, s, pre + g);
            FloatVector zIn = p.add(FloatVector.fromArray(sp, bg, g)), cIn = p.add(FloatVector.fromArray(sp, bh, g));
            zIn.intoArray(t, zAt);
            cIn.intoArray(t, cAt);
            FloatVector hv = FloatVector.fromArray(sp, h, hOff + g);
            hv.intoArray(t, hAt);
            // sigmoid(x) = 1 / (1 + exp(-x)); exp of -x below -87.3 is 0, above 88 (or NaN) goes to the scalar code below
            zIn.neg().intoArray(t, ezAt);
            cIn.mul(-2f).intoArray(t, ecAt);
            exp(t, ezAt);
            exp(t, ecAt);
            FloatVector ez = FloatVector.fromArray(sp, t, ezAt);
            FloatVector z = FloatVector.broadcast(sp, 1f).div(ez.add(1f));
            // tanh(x) = 2 / (1 + exp(-2x)) - 1 inside ±9, ±1 outside
            FloatVector ec = FloatVector.fromArray(sp, t, ecAt);
            FloatVector c = FloatVector.broadcast(sp, 2f).div(ec.add(1f)).sub(1f)
                    .blend(1f, cIn.compare(VectorOperators.GT, 9f)).blend(-1f, cIn.compare(VectorOperators.LT, -9f));
            z.mul(hv).add(z.neg().add(1f).mul(zeta).add(nu).mul(c)).intoArray(h, hOff + g);
            for (int l = 0; l < lanes; l++) {
                float zi = t[zAt + l], ci = t[cAt + l];
                if (!(zi >= -88f) || ci != ci) { // exp(-zi) past the polynomial's range, or NaN: the scalar cell's arithmetic
                    float zz = FastMath.sigmoid(zi), cc = FastMath.tanh(ci);
                    h[hOff + g + l] = zz * t[hAt + l] + (zeta * (1f - zz) + nu) * cc;
                }
            }
        }
    }

    /** {@link FastMath#exp} of a[at..] lane by lane, in place, for arguments up to 88 (0 below −87.3); larger ones are the caller's. */
    private static void exp(float[] a, int at) {
        FloatVector x = FloatVector.fromArray(S, a, at);
        FloatVector tt = x.mul(FastMath.LOG2E).add(FastMath.ROUNDER);
        IntVector k = (IntVector) tt.reinterpretAsInts().sub(FastMath.ROUNDER_BITS);
        FloatVector kf = tt.sub(FastMath.ROUNDER);
        FloatVector r = x.sub(kf.mul(FastMath.LN2_HI)).sub(kf.mul(FastMath.LN2_LO));
        FloatVector poly = r.mul(1f / 720).add(1f / 120).mul(r).add(1f / 24).mul(r).add(1f / 6).mul(r).add(0.5f).mul(r).add(1f).mul(r).add(1f);
        FloatVector scale = (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        VectorMask<Float> under = x.compare(VectorOperators.LT, -87.3f);
        poly.mul(scale).blend(0f, under).intoArray(a, at);
    }
}
