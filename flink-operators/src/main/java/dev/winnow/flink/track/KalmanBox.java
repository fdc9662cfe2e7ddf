package dev.winnow.flink.track;

import java.io.Serializable;

/**
 * Constant-velocity Kalman filter on a box: state (cx, cy, w, h) and their velocities per frame,
 * measurement (cx, cy, w, h). With F = [I I; 0 I], H = [I 0] and diagonal Q and R the 8x8 filter
 * falls apart into four independent 2-state filters (position, velocity) per coordinate, so a track
 * keeps 8 state values and 12 covariance values (P00, P01, P11 per coordinate) and a step costs a
 * few dozen flops instead of 8x8 matrix products. The state lives in the caller's flat arrays at a
 * slot, so that a table of tracks is a few primitive arrays (cheap to checkpoint, nothing allocated).
 */
public final class KalmanBox implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int STATE = 8, COVARIANCE = 12;

    private final double positionNoise, velocityNoise, measurementNoise, initialVelocityVariance;

    /**
     * @param positionNoise process noise variance on a position/size per frame (pixels²)
     * @param velocityNoise process noise variance on a velocity per frame ((pixels/frame)²)
     * @param measurementNoise detector noise variance on a position/size (pixels²)
     * @param initialVelocityVariance variance of the unknown velocity of a new track
     */
    public KalmanBox(double positionNoise, double velocityNoise, double measurementNoise, double initialVelocityVariance) {
        if (!(positionNoise >= 0) || !(velocityNoise >= 0) || !(measurementNoise > 0) || !(initialVelocityVariance > 0)) {
            throw new IllegalArgumentException("Kalman noise: process noises must be >= 0, measurement and initial velocity variances > 0");
        }
        this.positionNoise = positionNoise;
        this.velocityNoise = velocityNoise;
        this.measurementNoise = measurementNoise;
        this.initialVelocityVariance = initialVelocityVariance;
    }

    /** Starts a track at slot {@code s} from a top-left box: velocity 0, position as uncertain as a measurement. */
    public void init(double[] x, double[] p, int s, float bx, float by, float bw, float bh) {
        int o = s * STATE, c = s * COVARIANCE;
        x[o] = bx + bw / 2.0;
        x[o + 1] = by + bh / 2.0;
        x[o + 2] = bw;
        x[o + 3] = bh;
        for (int k = 4; k < 8; k++) x[o + k] = 0;
        for (int k = 0; k < 4; k++) {
            p[c + 3 * k] = measurementNoise;
            p[c + 3 * k + 1] = 0;
            p[c + 3 * k + 2] = initialVelocityVariance;
        }
    }

    /** One frame ahead: x = F x, P = F P Fᵀ + Q. */
    public void predict(double[] x, double[] p, int s) {
        int o = s * STATE, c = s * COVARIANCE;
        for (int k = 0; k < 4; k++) {
            x[o + k] += x[o + 4 + k];
            int q = c + 3 * k;
            double p00 = p[q], p01 = p[q + 1], p11 = p[q + 2];
            p[q] = p00 + 2 * p01 + p11 + positionNoise;
            p[q + 1] = p01 + p11;
            p[q + 2] = p11 + velocityNoise;
        }
    }

    /** Corrects slot {@code s} with a measured top-left box. */
    public void update(double[] x, double[] p, int s, float bx, float by, float bw, float bh) {
        int o = s * STATE, c = s * COVARIANCE;
        correct(x, p, o, c, 0, bx + bw / 2.0);
        correct(x, p, o, c, 1, by + bh / 2.0);
        correct(x, p, o, c, 2, bw);
        correct(x, p, o, c, 3, bh);
    }

    private void correct(double[] x, double[] p, int o, int c, int k, double z) {
        int q = c + 3 * k;
        double p00 = p[q], p01 = p[q + 1], p11 = p[q + 2];
        double sInv = 1.0 / (p00 + measurementNoise);
        double k0 = p00 * sInv, k1 = p01 * sInv, y = z - x[o + k];
        x[o + k] += k0 * y;
        x[o + 4 + k] += k1 * y;
        p[q] = (1 - k0) * p00;
        p[q + 1] = (1 - k0) * p01;
        p[q + 2] = p11 - k1 * p01;
    }

    /** The top-left box of slot {@code s} into {@code out[off..off+4)}; width and height at least 1 pixel (a shrinking track's prediction can cross 0). */
    public static void box(double[] x, int s, float[] out, int off) {
        int o = s * STATE;
        double w = Math.max(1.0, x[o + 2]), h = Math.max(1.0, x[o + 3]);
        out[off] = (float) (x[o] - w / 2);
        out[off + 1] = (float) (x[o + 1] - h / 2);
        out[off + 2] = (float) w;
        out[off + 3] = (float) h;
    }
}
