package dev.winnow.examples.report;

/**
 * Holt's linear exponential smoothing (level and trend, no season) for a zone's per-window series:
 * level l_t = α·y_t + (1 − α)(l_{t−1} + b_{t−1}), trend b_t = β(l_t − l_{t−1}) + (1 − β)·b_{t−1},
 * forecast h windows ahead l_t + h·b_t (floored at 0: people). Starts at l_0 = y_0, b_0 = y_1 − y_0,
 * so the first one-step forecast that is not a copy of the data is for y_2. α and β are chosen on a
 * 0.1 grid in [0.1, 0.9] by the mean absolute one-step error. The baseline is the naive forecast:
 * the next window equals the last one.
 */
public final class HoltForecast {
    private HoltForecast() {}

    /** A fitted model: its smoothing constants and the state after the last observation. */
    public record Fit(double alpha, double beta, double level, double trend) {
        public double forecast(int windowsAhead) {
            return Math.max(0, level + windowsAhead * trend);
        }
    }

    /** Held-out error of both forecasts, one step ahead over the last windows, the state updated with each actual. */
    public record Evaluation(int heldOut, double holtAbsErrorSum, double naiveAbsErrorSum) {
        public double holtMae() {
            return holtAbsErrorSum / heldOut;
        }

        public double naiveMae() {
            return naiveAbsErrorSum / heldOut;
        }
    }

    /** Runs the smoothing over {@code y}; {@code predictions[t]} (t ≥ 1) is the one-step forecast of y_t made at t − 1. */
    static Fit run(double[] y, double alpha, double beta, double[] predictions) {
        double level = y[0], trend = y.length > 1 ? y[1] - y[0] : 0;
        for (int t = 1; t < y.length; t++) {
            double predicted = level + trend;
            if (predictions != null) predictions[t] = Math.max(0, predicted);
            double next = alpha * y[t] + (1 - alpha) * predicted;
            trend = beta * (next - level) + (1 - beta) * trend;
            level = next;
        }
        return new Fit(alpha, beta, level, trend);
    }

    /** α, β with the least one-step MAE on y_2 … y_{n−1}; with fewer than 3 values, 0.5 and 0.5. */
    public static Fit fit(double[] y) {
        if (y.length == 0) throw new IllegalArgumentException("no values to fit");
        double bestA = 0.5, bestB = 0.5, best = Double.MAX_VALUE;
        double[] p = new double[y.length];
        if (y.length >= 3) {
            for (int a = 1; a <= 9; a++) {
                for (int b = 1; b <= 9; b++) {
                    run(y, a / 10.0, b / 10.0, p);
                    double err = 0;
                    for (int t = 2; t < y.length; t++) err += Math.abs(p[t] - y[t]);
                    if (err < best - 1e-12) {
                        best = err;
                        bestA = a / 10.0;
                        bestB = b / 10.0;
                    }
                }
            }
        }
        return run(y, bestA, bestB, null);
    }

    /** Fits on all but the last {@code heldOut} values (at least 3), then forecasts each held-out value one step ahead. */
    public static Evaluation holdOut(double[] y, int heldOut) {
        int train = y.length - heldOut;
        if (heldOut < 1 || train < 3) throw new IllegalArgumentException("need 3 windows to fit and 1 to hold out, have " + y.length + " with " + heldOut + " held out");
        Fit f = fit(java.util.Arrays.copyOf(y, train));
        double[] p = new double[y.length];
        run(y, f.alpha(), f.beta(), p);
        double holt = 0, naive = 0;
        for (int t = train; t < y.length; t++) {
            holt += Math.abs(p[t] - y[t]);
            naive += Math.abs(y[t - 1] - y[t]);
        }
        return new Evaluation(heldOut, holt, naive);
    }
}
