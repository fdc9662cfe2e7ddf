package dev.winnow.flink.track;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The split 2-state filters against the textbook 8x8 Kalman filter written as plain double loops. */
class KalmanBoxTest {
    static final double QP = 4, QV = 1, R = 16, V0 = 100;

    /** The full filter: x (8), P (8x8), F = [I I; 0 I], H = [I 0], Q = diag(QP x4, QV x4), R = R·I. */
    static final class Full {
        final double[] x = new double[8];
        final double[][] p = new double[8][8];

        Full(double cx, double cy, double w, double h) {
            x[0] = cx; x[1] = cy; x[2] = w; x[3] = h;
            for (int i = 0; i < 4; i++) { p[i][i] = R; p[i + 4][i + 4] = V0; }
        }

        static double[][] f() {
            double[][] f = new double[8][8];
            for (int i = 0; i < 8; i++) f[i][i] = 1;
            for (int i = 0; i < 4; i++) f[i][i + 4] = 1;
            return f;
        }

        void predict() {
            double[][] f = f();
            double[] nx = new double[8];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) nx[i] += f[i][j] * x[j];
            System.arraycopy(nx, 0, x, 0, 8);
            double[][] fp = new double[8][8], np = new double[8][8];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) for (int k = 0; k < 8; k++) fp[i][j] += f[i][k] * p[k][j];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) for (int k = 0; k < 8; k++) np[i][j] += fp[i][k] * f[j][k];
            for (int i = 0; i < 8; i++) np[i][i] += i < 4 ? QP : QV;
            for (int i = 0; i < 8; i++) p[i] = np[i];
        }

        void update(double[] z) {
            // S = H P Hᵀ + R is the top-left 4x4 block plus R; K = P Hᵀ S⁻¹ (S inverted by Gauss-Jordan)
            double[][] s = new double[4][8];
            for (int i = 0; i < 4; i++) { for (int j = 0; j < 4; j++) s[i][j] = p[i][j] + (i == j ? R : 0); s[i][4 + i] = 1; }
            for (int c = 0; c < 4; c++) {
                double d = s[c][c];
                for (int j = 0; j < 8; j++) s[c][j] /= d;
                for (int r = 0; r < 4; r++) if (r != c) { double m = s[r][c]; for (int j = 0; j < 8; j++) s[r][j] -= m * s[c][j]; }
            }
            double[][] k = new double[8][4];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 4; j++) for (int m = 0; m < 4; m++) k[i][j] += p[i][m] * s[m][4 + j];
            double[] y = new double[4];
            for (int i = 0; i < 4; i++) y[i] = z[i] - x[i];
            for (int i = 0; i < 8; i++) for (int j = 0; j < 4; j++) x[i] += k[i][j] * y[j];
            double[][] np = new double[8][8];
            // P = (I - K H) P, where K H holds K's 4 columns in its first 4 columns
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) {
                double v = p[i][j];
                for (int m = 0; m < 4; m++) v -= k[i][m] * p[m][j];
                np[i][j] = v;
            }
            for (int i = 0; i < 8; i++) p[i] = np[i];
        }
    }

    @Test
    void matchesTheFullFilterOverAWalkWithGaps() {
        KalmanBox kb = new KalmanBox(QP, QV, R, V0);
        double[] x = new double[2 * KalmanBox.STATE], p = new double[2 * KalmanBox.COVARIANCE];
        // slot 1, so that the slot offset is exercised; the box starts at (100, 50) 40x80, centre (120, 90)
        kb.init(x, p, 1, 100, 50, 40, 80);
        Full full = new Full(120, 90, 40, 80);
        java.util.Random r = new java.util.Random(7);
        for (int frame = 1; frame <= 30; frame++) {
            kb.predict(x, p, 1);
            full.predict();
            if (frame % 7 != 0) { // every 7th frame is a miss: predict only
                float bx = 100 + 6 * frame + (float) r.nextGaussian() * 3, by = 50 + 2 * frame + (float) r.nextGaussian() * 3;
                float bw = 40 + (float) r.nextGaussian(), bh = 80 + (float) r.nextGaussian();
                kb.update(x, p, 1, bx, by, bw, bh);
                full.update(new double[] {bx + bw / 2.0, by + bh / 2.0, bw, bh});
            }
            for (int i = 0; i < 8; i++) assertEquals(full.x[i], x[KalmanBox.STATE + i], 1e-9, "frame " + frame + " state " + i);
            for (int k = 0; k < 4; k++) {
                int c = KalmanBox.COVARIANCE + 3 * k;
                assertEquals(full.p[k][k], p[c], 1e-9, "P00 of coordinate " + k);
                assertEquals(full.p[k][k + 4], p[c + 1], 1e-9, "P01 of coordinate " + k);
                assertEquals(full.p[k + 4][k + 4], p[c + 2], 1e-9, "P11 of coordinate " + k);
                assertEquals(0, full.p[k][(k + 1) % 4], 1e-12, "coordinates stay independent");
            }
        }
        // the filter has learned the walk: about 6 px/frame in x, 2 in y
        assertEquals(6, x[KalmanBox.STATE + 4], 1.0);
        assertEquals(2, x[KalmanBox.STATE + 5], 1.0);
    }

    @Test
    void oneStepByHand() {
        // one coordinate by hand: P = [16 0; 0 100] → predict: P00 = 16 + 0 + 100 + 4 = 120, P01 = 100, P11 = 101;
        // measure cx 130 against 120: S = 136, K = (120/136, 100/136), cx = 120 + 10·120/136, vx = 10·100/136
        KalmanBox kb = new KalmanBox(QP, QV, R, V0);
        double[] x = new double[8], p = new double[12];
        kb.init(x, p, 0, 100, 50, 40, 80);
        kb.predict(x, p, 0);
        assertArrayEquals(new double[] {120, 100, 101}, new double[] {p[0], p[1], p[2]}, 1e-12);
        kb.update(x, p, 0, 110, 50, 40, 80);
        assertEquals(120 + 10 * 120.0 / 136, x[0], 1e-12);
        assertEquals(10 * 100.0 / 136, x[4], 1e-12);
        assertEquals((1 - 120.0 / 136) * 120, p[0], 1e-12);
        assertEquals(101 - (100.0 / 136) * 100, p[2], 1e-12);
        float[] box = new float[4];
        KalmanBox.box(x, 0, box, 0);
        assertEquals(x[0] - 20, box[0], 1e-4);
    }

    @Test
    void refusesNoiseThatIsNotAVariance() {
        var e = assertThrows(IllegalArgumentException.class, () -> new KalmanBox(1, 1, 0, 1));
        assertTrue(e.getMessage().contains("measurement"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KalmanBox(Double.NaN, 1, 1, 1));
    }
}
