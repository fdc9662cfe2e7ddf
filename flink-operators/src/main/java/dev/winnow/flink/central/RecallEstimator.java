package dev.winnow.flink.central;

/**
 * The edge's person-frame recall, estimated from the teacher's verdicts on a random sample of the
 * frames the edge dropped.
 *
 * <p>The edge reports two totals per camera: {@code K}, frames it kept as showing a person, and
 * {@code D}, frames it dropped without asking the teacher. Each dropped frame is sampled with the same
 * probability, so the teacher's verdicts on the {@code n} samples estimate the miss rate {@code p}
 * among dropped frames: {@code x} of them show a person. Then
 * <pre>
 *   estimated missed person frames  M = D · p
 *   estimated person frames         P = K + M        (kept frames counted as person frames)
 *   recall                          R = 1 − M / P = K / (K + D · p)
 * </pre>
 * with {@code p = x / n}. R falls as p grows, and K and D are counts, not estimates, so a 95 %
 * interval {@code [pL, pU]} of p maps to the interval {@code [R(pU), R(pL)]} of R with the same
 * coverage.
 *
 * <p>The interval of p is the <b>Wilson score interval</b>. Misses are rare and the samples few
 * (1 % of the dropped frames), so x is often 0 or 1: there the Wald interval {@code p ± z·√(p(1−p)/n)}
 * has zero width at x = 0 and covers far less than 95 %, while Wilson's keeps close to nominal
 * coverage for small n and p near 0 (Brown, Cai and DasGupta, Statistical Science 16(2), 2001) and
 * never leaves [0, 1]. Kept frames are taken to show a person (the edge's precision is not estimated
 * here); the band frames the teacher decided are in K or in neither total, as the teacher said.
 *
 * <p>When {@code K + D·p = 0} there is no person frame to miss and R is 1. Stateless.
 */
public final class RecallEstimator {
    /** The normal quantile for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    private RecallEstimator() {}

    /** The Wilson score interval {lower, upper} of a binomial proportion, {@code x} successes in {@code n}. */
    public static double[] wilson(long x, long n, double z) {
        if (n <= 0 || x < 0 || x > n) throw new IllegalArgumentException("need 0 <= x <= n and n > 0, got x=" + x + " n=" + n);
        double p = (double) x / n, z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // exact at the ends (rounding would otherwise leave 1e-17 instead of 0)
        return new double[] {x == 0 ? 0 : Math.max(0, centre - half), x == n ? 1 : Math.min(1, centre + half)};
    }

    /** R = K / (K + D·p); 1 when there is nothing to miss. */
    public static double recall(long kept, long dropped, double missRate) {
        double missed = dropped * missRate;
        return kept + missed == 0 ? 1.0 : kept / (kept + missed);
    }

    /**
     * {recall, lower, upper}: the point estimate and its 95 % interval, from {@code misses} person
     * frames in {@code samples} sampled dropped frames, and the edge's totals. NaNs without samples.
     */
    public static double[] estimate(long kept, long dropped, long samples, long misses) {
        if (samples == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        double[] p = wilson(misses, samples, Z95);
        // the dropped total includes the sampled frames, so it is at least the samples
        long d = Math.max(dropped, samples);
        return new double[] {recall(kept, d, (double) misses / samples), recall(kept, d, p[1]), recall(kept, d, p[0])};
    }
}
