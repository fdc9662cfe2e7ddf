package dev.winnow.runtime.testing;

/**
 * Plain double-precision implementations of every operator, written as the obvious loop nests with
 * no repacking, no blocking and no approximations: the independent reference kernels are checked against.
 * Tensors are HWC; conv filters OHWI; depthwise filters [kH][kW][C*m]; dense weights [out][in].
 */
public final class ReferenceOps {
    private ReferenceOps() {}

    public static double[] conv2d(double[] x, int h, int w, int c, double[] f, double[] b, int oc, int kh, int kw,
                                  int sh, int sw, int padTop, int padLeft, int oh, int ow, double lo, double hi) {
        double[] y = new double[oh * ow * oc];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                for (int o = 0; o < oc; o++) {
                    double acc = b == null ? 0 : b[o];
                    for (int u = 0; u < kh; u++)
                        for (int v = 0; v < kw; v++) {
                            int ih = i * sh - padTop + u, iw = j * sw - padLeft + v;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            for (int ci = 0; ci < c; ci++)
                                acc += x[(ih * w + iw) * c + ci] * f[((o * kh + u) * kw + v) * c + ci];
                        }
                    y[(i * ow + j) * oc + o] = Math.min(hi, Math.max(lo, acc));
                }
        return y;
    }

    public static double[] depthwise(double[] x, int h, int w, int c, int mult, double[] f, double[] b, int kh, int kw,
                                     int sh, int sw, int padTop, int padLeft, int oh, int ow, double lo, double hi) {
        int oc = c * mult;
        double[] y = new double[oh * ow * oc];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                for (int ci = 0; ci < c; ci++)
                    for (int m = 0; m < mult; m++) {
                        int o = ci * mult + m;
                        double acc = b == null ? 0 : b[o];
                        for (int u = 0; u < kh; u++)
                            for (int v = 0; v < kw; v++) {
                                int ih = i * sh - padTop + u, iw = j * sw - padLeft + v;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                acc += x[(ih * w + iw) * c + ci] * f[(u * kw + v) * oc + o];
                            }
                        y[(i * ow + j) * oc + o] = Math.min(hi, Math.max(lo, acc));
                    }
        return y;
    }

    public static double[] dense(double[] x, double[] wt, double[] b, int in, int out, double lo, double hi) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) acc += wt[o * in + i] * x[i];
            y[o] = Math.min(hi, Math.max(lo, acc));
        }
        return y;
    }

    public static double[] pool(double[] x, int h, int w, int c, int kh, int kw, int sh, int sw, int padTop, int padLeft,
                                int oh, int ow, boolean max) {
        double[] y = new double[oh * ow * c];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                for (int ci = 0; ci < c; ci++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int n = 0;
                    for (int u = 0; u < kh; u++)
                        for (int v = 0; v < kw; v++) {
                            int ih = i * sh - padTop + u, iw = j * sw - padLeft + v;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            double e = x[(ih * w + iw) * c + ci];
                            acc = max ? Math.max(acc, e) : acc + e;
                            n++;
                        }
                    y[(i * ow + j) * c + ci] = max ? acc : acc / n;
                }
        return y;
    }

    public static double[] softmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        double s = 0;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) s += y[i] = Math.exp(x[i] - m);
        for (int i = 0; i < x.length; i++) y[i] /= s;
        return y;
    }

    /** XNOR-Net reference: sign(x) . sign(w_o) * mean|w_o| * mean|x| + b. */
    public static double[] binaryDense(double[] x, double[] wt, double[] b, int in, int out) {
        double beta = 0;
        for (double v : x) beta += Math.abs(v);
        beta /= in;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double alpha = 0, dot = 0;
            for (int i = 0; i < in; i++) {
                alpha += Math.abs(wt[o * in + i]);
                dot += (wt[o * in + i] >= 0 ? 1 : -1) * (x[i] >= 0 ? 1 : -1);
            }
            y[o] = alpha / in * beta * dot + (b == null ? 0 : b[o]);
        }
        return y;
    }
}
