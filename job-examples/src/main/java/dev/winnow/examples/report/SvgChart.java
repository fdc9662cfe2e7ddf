package dev.winnow.examples.report;

import dev.winnow.examples.live.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A small line chart as inline SVG, for reports a person opens in a browser: series as polylines,
 * steps or windows (a value held from each window's start to its end, so the last window is a
 * segment too), shaded x spans, dashed horizontal reference lines, labelled axes and a legend
 * above the plot, never over it. Axis ticks fall on round numbers (1, 2, 5 × 10ⁿ); with
 * {@link #clockTime} the x values are epoch milliseconds labelled as clock times in {@link Clock}'s
 * zone, at round intervals (seconds, minutes, hours). No scripts, no external resources, so the
 * page works offline and from a file.
 */
public final class SvgChart {
    private record Series(String name, String color, double[] x, double[] xEnd, double[] y, boolean steps) {}

    private record Span(double from, double to, String color) {}

    private record Rule(double y, String name, String color) {}

    private static final long[] TIME_STEPS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
            1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};

    private final String title;
    private final String xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Span> spans = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private int width = 880, height = 280;
    private Double yMin, yMax;
    private boolean clockTime;

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

    /** x values are epoch milliseconds, labelled as clock times. */
    public SvgChart clockTime() {
        clockTime = true;
        return this;
    }

    public SvgChart line(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, x, null, y, false));
        return this;
    }

    public SvgChart steps(String name, String color, double[] x, double[] y) {
        series.add(new Series(name, color, x, null, y, true));
        return this;
    }

    /** One value per window [start, end), drawn as a step held to each window's end. */
    public SvgChart windows(String name, String color, double[] start, double[] end, double[] y) {
        if (start.length != end.length || start.length != y.length) throw new IllegalArgumentException("start, end and y differ in length");
        series.add(new Series(name, color, start, end, y, true));
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

    /** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10ⁿ, about {@code target} of them. */
    static double[] niceTicks(double lo, double hi, int target) {
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * mag;
            if (step >= raw) break;
        }
        double first = Math.ceil(lo / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double v = first; v <= hi + step * 1e-9; v += step) ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Round clock-time ticks (epoch ms) covering [lo, hi], at about {@code target} intervals. */
    static long[] timeTicks(double lo, double hi, int target) {
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if ((hi - lo) / s <= target) {
                step = s;
                break;
            }
        }
        ZonedDateTime day = Instant.ofEpochMilli((long) lo).atZone(Clock.zone()).toLocalDate().atStartOfDay(Clock.zone());
        long origin = day.toInstant().toEpochMilli();
        long first = origin + (long) Math.ceil((lo - origin) / step) * step;
        List<Long> ticks = new ArrayList<>();
        for (long t = first; t <= hi; t += step) ticks.add(t);
        return ticks.stream().mapToLong(Long::longValue).toArray();
    }

    static String clockLabel(long epochMillis, boolean seconds) {
        return DateTimeFormatter.ofPattern(seconds ? "HH:mm:ss" : "HH:mm").format(Instant.ofEpochMilli(epochMillis).atZone(Clock.zone()));
    }

    public String render() {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x) { x0 = Math.min(x0, v); x1 = Math.max(x1, v); }
            if (s.xEnd != null) for (double v : s.xEnd) x1 = Math.max(x1, v);
            for (double v : s.y) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
        }
        for (Rule r : rules) { y0 = Math.min(y0, r.y); y1 = Math.max(y1, r.y); }
        if (yMin != null) y0 = yMin;
        if (yMax != null) y1 = yMax;
        if (!(x1 > x0)) { x0 = x0 == Double.POSITIVE_INFINITY ? 0 : x0; x1 = x0 + 1; }
        if (!(y1 > y0)) { y0 = y0 == Double.POSITIVE_INFINITY ? 0 : y0; y1 = y0 + 1; }
        double[] yTicks = niceTicks(y0, y1, 5);
        // widen the y range to whole ticks so the top and bottom grid lines are labelled
        double yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
        if (yMax == null) y1 = Math.ceil(y1 / yStep - 1e-9) * yStep;
        if (yMin == null) y0 = Math.floor(y0 / yStep + 1e-9) * yStep;
        List<Double> widened = new ArrayList<>();
        for (double v = Math.ceil(y0 / yStep - 1e-9) * yStep; v <= y1 + yStep * 1e-9; v += yStep) widened.add(Math.abs(v) < yStep * 1e-9 ? 0 : v);
        yTicks = widened.stream().mapToDouble(Double::doubleValue).toArray();

        // legend rows above the plot
        int left = 56, right = 32, bottom = 40;
        List<List<Object[]>> legendRows = legendRows(left, right);
        int top = 26 + legendRows.size() * LEGEND_ROW_HEIGHT + 6;
        double pw = width - left - right, ph = height - top - bottom;
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        DoubleUnaryOperator sx = v -> left + (v - fx0) / (fx1 - fx0) * pw;
        DoubleUnaryOperator sy = v -> top + ph - (v - fy0) / (fy1 - fy0) * ph;

        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        b.append(fmt("<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>", left, Html.escape(title)));
        appendLegend(b, legendRows);
        b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" stroke=\"#ccc\"/>", left, top, pw, ph));
        for (Span s : spans) {
            double a = sx.applyAsDouble(Math.max(s.from, x0)), c = sx.applyAsDouble(Math.min(s.to, x1));
            if (c > a) b.append(fmt("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.35\"/>", a, top, c - a, ph, s.color));
        }
        for (double v : yTicks) {
            double y = sy.applyAsDouble(v);
            b.append(fmt("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>", left, left + pw, y, y));
            b.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 4, y + 4, number(v, yStep)));
        }
        if (clockTime) {
            long[] ticks = timeTicks(x0, x1, 8);
            boolean seconds = false;
            for (long t : ticks) seconds |= t % 60_000 != 0;
            for (long t : ticks) {
                double x = sx.applyAsDouble(t);
                b.append(fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", x, x, top + ph, top + ph + 4));
                b.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, top + ph + 15, clockLabel(t, seconds)));
            }
        } else {
            double[] xTicks = niceTicks(x0, x1, 8);
            double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
            for (double v : xTicks) {
                double x = sx.applyAsDouble(v);
                b.append(fmt("<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", x, x, top + ph, top + ph + 4));
                b.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, top + ph + 15, number(v, xStep)));
            }
        }
        b.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", left + pw / 2, height - 6, Html.escape(xLabel)));
        b.append(fmt("<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">%s</text>", top + ph / 2, top + ph / 2, Html.escape(yLabel)));
        for (Rule r : rules) {
            double y = sy.applyAsDouble(r.y);
            b.append(fmt("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>", left, left + pw, y, y, r.color));
        }
        for (Series s : series) {
            b.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"%s\"/>", s.color, points(s, sx, sy)));
        }
        b.append("</svg>");
        return b.toString();
    }

    private static final int LEGEND_ROW_HEIGHT = 16;

    /** The legend's entries (name, color, dashed?, x) in rows above the plot, wrapped at the right margin. */
    private List<List<Object[]>> legendRows(int left, int right) {
        List<List<Object[]>> legendRows = new ArrayList<>();
        List<Object[]> row = new ArrayList<>();
        int lx = left;
        List<Object[]> items = new ArrayList<>();
        for (Series s : series) items.add(new Object[] {s.name, s.color, false});
        for (Rule r : rules) items.add(new Object[] {r.name, r.color, true});
        for (Object[] it : items) {
            int w = 22 + 7 * ((String) it[0]).length();
            if (lx + w > width - right && !row.isEmpty()) {
                legendRows.add(row);
                row = new ArrayList<>();
                lx = left;
            }
            row.add(new Object[] {it[0], it[1], it[2], lx});
            lx += w + 10;
        }
        if (!row.isEmpty()) legendRows.add(row);
        return legendRows;
    }

    /** A swatch (a bar for a series, a dashed line for a rule) and a name per legend entry. */
    private static void appendLegend(StringBuilder b, List<List<Object[]>> legendRows) {
        for (int r = 0; r < legendRows.size(); r++) {
            int ly = 26 + r * LEGEND_ROW_HEIGHT + 8;
            for (Object[] it : legendRows.get(r)) {
                int x = (Integer) it[3];
                if ((Boolean) it[2]) {
                    b.append(fmt("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"4,3\"/>", x, x + 12, ly - 3, ly - 3, it[1]));
                } else {
                    b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>", x, ly - 5, it[1]));
                }
                b.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>", x + 16, ly, Html.escape((String) it[0])));
            }
        }
    }

    /** A series as polyline points: steps hold each value until the next (or its own end), and the last value runs to its end. */
    private static String points(Series s, DoubleUnaryOperator sx, DoubleUnaryOperator sy) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < s.x.length; i++) {
            double px = sx.applyAsDouble(s.x[i]), py = sy.applyAsDouble(s.y[i]);
            if (s.steps && i > 0) {
                double prevEnd = s.xEnd != null ? sx.applyAsDouble(s.xEnd[i - 1]) : px;
                pts.append(fmt("%.1f,%.1f ", prevEnd, sy.applyAsDouble(s.y[i - 1])));
                if (prevEnd != px) pts.append(fmt("%.1f,%.1f ", px, sy.applyAsDouble(s.y[i - 1])));
            }
            pts.append(fmt("%.1f,%.1f ", px, py));
            if (s.xEnd != null && i == s.x.length - 1) pts.append(fmt("%.1f,%.1f ", sx.applyAsDouble(s.xEnd[i]), py));
        }
        return pts.toString().trim();
    }

    private static String number(double v, double step) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) return fmt("%.2g", v);
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return fmt("%." + decimals + "f", v);
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
