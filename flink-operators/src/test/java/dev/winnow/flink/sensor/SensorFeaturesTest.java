package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SensorFeaturesTest {

    @Test
    void fftMatchesADirectDft() {
        Random r = new Random(1);
        for (int n : new int[] {1, 2, 8, 64, 256}) {
            double[] re = new double[n], im = new double[n], x = new double[n];
            for (int i = 0; i < n; i++) re[i] = x[i] = r.nextGaussian();
            Fft.transform(re, im, n);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    sr += x[t] * Math.cos(-2 * Math.PI * k * t / n);
                    si += x[t] * Math.sin(-2 * Math.PI * k * t / n);
                }
                assertEquals(sr, re[k], 1e-9 * n);
                assertEquals(si, im[k], 1e-9 * n);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Fft.transform(new double[6], new double[6], 6));
    }

    @Test
    void statisticsAndBandEnergiesMatchDirectComputation() {
        Random r = new Random(2);
        int n = 50, c = 3, bands = 4;
        float[] v = new float[n * c];
        for (int i = 0; i < n; i++) {
            v[i * c] = (float) (2 * Math.sin(2 * Math.PI * 5 * i / 50.0) + 0.3);       // tone in the first half of the spectrum
            v[i * c + 1] = (float) r.nextGaussian();
            v[i * c + 2] = (float) Math.exp(r.nextGaussian());                           // skewed
        }
        SensorFeatures f = new SensorFeatures(c, bands);
        float[] out = new float[f.size()];
        f.compute(v, n, out, 0, new double[64], new double[64]);
        for (int ch = 0; ch < c; ch++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = v[i * c + ch];
            double mean = java.util.Arrays.stream(x).average().orElseThrow();
            double m2 = 0, m3 = 0, m4 = 0, sq = 0;
            int zc = 0;
            for (int i = 0; i < n; i++) {
                double d = x[i] - mean;
                m2 += d * d / n;
                m3 += d * d * d / n;
                m4 += d * d * d * d / n;
                sq += x[i] * x[i] / n;
                if (i > 0 && Math.signum(x[i - 1] - mean + 1e-300) != Math.signum(d + 1e-300)) zc++;
            }
            int o = ch * f.perChannel();
            assertEquals(mean, out[o], 1e-5);
            assertEquals(Math.sqrt(m2), out[o + 1], 1e-5);
            assertEquals(java.util.Arrays.stream(x).min().orElseThrow(), out[o + 2], 1e-6);
            assertEquals(java.util.Arrays.stream(x).max().orElseThrow(), out[o + 3], 1e-6);
            assertEquals(Math.sqrt(sq), out[o + 4], 1e-5);
            assertEquals(m3 / Math.pow(m2, 1.5), out[o + 5], 1e-4);
            assertEquals(m4 / (m2 * m2), out[o + 6], 1e-4);
            assertEquals(zc, out[o + 7], 0);
            // band energies from a direct DFT of the zero-padded, mean-removed signal (N = 64)
            double[] band = new double[bands];
            for (int k = 1; k <= 32; k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    sr += (x[t] - mean) * Math.cos(-2 * Math.PI * k * t / 64);
                    si += (x[t] - mean) * Math.sin(-2 * Math.PI * k * t / 64);
                }
                band[(k - 1) * bands / 32] += (sr * sr + si * si) / 64;
            }
            for (int b = 0; b < bands; b++) assertEquals(band[b], out[o + 8 + b], 1e-3 * Math.max(1, band[b]), "channel " + ch + " band " + b);
        }
        // the 5-cycle tone (bin 6.4 of 64) puts its energy in the first band
        assertTrue(out[8] > 10 * out[9]);
    }
}
