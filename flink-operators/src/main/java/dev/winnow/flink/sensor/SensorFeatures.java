package dev.winnow.flink.sensor;

import java.io.Serializable;

/**
 * Features of a window of readings, per channel, in this stable layout (the model's input spec must
 * match it): mean, standard deviation, min, max, RMS, skewness, kurtosis (m4/m2², 3 for a normal
 * distribution), zero crossings of the mean-removed signal, then {@code bands} spectral band energies:
 * the mean-removed signal zero-padded to a power of two, |X_k|² for k = 1 … N/2 summed over equal-width
 * bands and divided by N. Channel c's features start at c·{@link #perChannel()}.
 */
public final class SensorFeatures implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int STATS = 8;

    private final int channels;
    private final int bands;

    public SensorFeatures(int channels, int bands) {
        if (channels < 1 || bands < 0 || bands > 64) throw new IllegalArgumentException("channels >= 1 and 0 <= bands <= 64");
        this.channels = channels;
        this.bands = bands;
    }

    public int perChannel() { return STATS + bands; }
    public int size() { return channels * perChannel(); }
    public int channels() { return channels; }

    /**
     * Computes the features of {@code n} readings; {@code values[i*channels + c]} is channel c of
     * reading i. {@code re}/{@code im} are scratch of at least the next power of two ≥ n.
     */
    public void compute(float[] values, int n, float[] out, int outOff, double[] re, double[] im) {
        if (n < 1) throw new IllegalArgumentException("a window needs at least one reading");
        int fftN = Integer.highestOneBit(Math.max(1, n - 1)) << 1;
        if (n == 1) fftN = 1;
        for (int c = 0; c < channels; c++) {
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sq = 0;
            for (int i = 0; i < n; i++) {
                double v = values[i * channels + c];
                sum += v;
                sq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / n;
            double m2 = 0, m3 = 0, m4 = 0;
            int crossings = 0;
            double prev = 0;
            for (int i = 0; i < n; i++) {
                double d = values[i * channels + c] - mean;
                double d2 = d * d;
                m2 += d2;
                m3 += d2 * d;
                m4 += d2 * d2;
                if (i > 0 && ((prev < 0 && d >= 0) || (prev >= 0 && d < 0))) crossings++;
                prev = d;
            }
            m2 /= n;
            m3 /= n;
            m4 /= n;
            int o = outOff + c * perChannel();
            out[o] = (float) mean;
            out[o + 1] = (float) Math.sqrt(m2);
            out[o + 2] = (float) min;
            out[o + 3] = (float) max;
            out[o + 4] = (float) Math.sqrt(sq / n);
            out[o + 5] = m2 > 1e-12 ? (float) (m3 / Math.pow(m2, 1.5)) : 0f;
            out[o + 6] = m2 > 1e-12 ? (float) (m4 / (m2 * m2)) : 0f;
            out[o + 7] = crossings;
            if (bands == 0) continue;
            for (int i = 0; i < fftN; i++) {
                re[i] = i < n ? values[i * channels + c] - mean : 0;
                im[i] = 0;
            }
            if (fftN > 1) Fft.transform(re, im, fftN);
            int half = fftN / 2;
            for (int b = 0; b < bands; b++) out[o + STATS + b] = 0f;
            for (int k = 1; k <= half; k++) {
                int b = Math.min(bands - 1, (k - 1) * bands / Math.max(1, half));
                out[o + STATS + b] += (float) ((re[k] * re[k] + im[k] * im[k]) / fftN);
            }
        }
    }
}
