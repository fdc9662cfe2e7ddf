package dev.winnow.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG, for reports a person opens in a browser: series as polylines
 * (or steps), shaded x spans, dashed horizontal reference lines, and labelled axes. No scripts, no
 * external resources, so the page works offline and from a file.
 */
public final class SvgChart {
    private record Series(String name, String color, double[] x, double[] y, boolean steps) {}

    private record Span(double from, double to, String color) {}

    private record Rule(double y, String name, String color) {}

    private final String title;
    private final String xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Span> spans = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private int width = 880, height = 260;
    private Double yMin, yMax;

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart size(int w, int h) {
        width = w;
        height = h;
        return this;
    }

    public SvgChart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    public SvgChart line(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, x, y, false));
        return this;
    }

    public SvgChart steps(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, x, y, true));
        return this;
    }

    public SvgChart shade(double from, double to, String color) {
        spans.add(new Span(from, to, color));
        return this;
    }

    public SvgChart rule(double y, String name, String color) {
        rules.add(new Rule(y, name, color));
        return this;
    }

    public String render() {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x) { x0 = Math.min(x0, v); x1 = Math.max(x1, v); }
            for (double v : s.y) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
        }
        for (Rule r : rules) { y0 = Math.min(y0, r.y); y1 = Math.max(y1, r.y); }
        if (yMin != null) y0 = yMin;
        if (yMax != null) y1 = yMax;
        if (!(x1 > x0)) { x0 = x0 == Double.POSITIVE_INFINITY ? 0 : x0; x1 = x0 + 1; }
        if (!(y1 > y0)) { y0 = y0 == Double.POSITIVE_INFINITY ? 0 : y0; y1 = y0 + 1; }
        int left = 56, right = 16, top = 28, bottom = 40;
        double pw = width - left - right, ph = height - top - bottom;
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator sy = v -> top + ph - (v - fy0) / (fy1 - fy0) * ph;
        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        b.append(fmt("<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>", left, Html.escape(title)));
        b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" stroke=\"#ccc\"/>", left, top, pw, ph));
        for (Span s : spans) {
            double a = sx.applyAsDouble(Math.max(s.from, x0)), c = sx.applyAsDouble(Math.min(s.to, x1));
            if (c > a) b.append(fmt("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.35\"/>", a, top, c - a, ph, s.color));
        }
        for (int i = 0; i <= 4; i++) {
            double v = y0 + (y1 - y0) * i / 4;
            double y = sy.applyAsDouble(v);
            b.append(fmt("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", left, left + pw, y, y));
            b.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, y + 4, number(v)));
            double xv = x0 + (x1 - x0) * i / 4;
            b.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", sx.applyAsDouble(xv), top + ph + 14, number(xv)));
        }
        b.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", left + pw / 2, height - 6, Html.escape(xLabel)));
        b.append(fmt("<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">%s</text>", top + ph / 2, top + ph / 2, Html.escape(yLabel)));
        for (Rule r : rules) {
            double y = sy.applyAsDouble(r.y);
            b.append(fmt("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>", left, left + pw, y, y, r.color));
            b.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>", left + pw - 4, y - 3, r.color, Html.escape(r.name)));
        }
        int legendX = left + 8;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x.length; i++) {
                double px = sx.applyAsDouble(s.x[i]), py = sy.applyAsDouble(s.y[i]);
                if (s.steps && i > 0) pts.append(fmt("%.1f,%.1f ", px, sy.applyAsDouble(s.y[i - 1])));
                pts.append(fmt("%.1f,%.1f ", px, py));
            }
            b.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>", s.color, pts.toString().trim()));
            b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                    legendX, top + 8, s.color, legendX + 14, top + 12, Html.escape(s.name)));
            legendX += 22 + 7 * s.name.length();
        }
        b.append("</svg>");
        return b.toString();
    }

    private static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e9 || (a < 1e-3 && a > 0)) return fmt("%.2g", v);
        if (a >= 100 || v == Math.rint(v)) return fmt("%.0f", v);
        return fmt("%.2f", v);
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
