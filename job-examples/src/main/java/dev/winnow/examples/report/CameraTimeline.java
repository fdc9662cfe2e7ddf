package dev.winnow.examples.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One camera's run as an inline SVG band over clock time: the spans its committed clips keep
 * (green), the recorded video no clip keeps (grey), and the stretches without video (red: a live
 * stream's gaps), with clock-time ticks in {@link dev.winnow.examples.live.Clock}'s zone. Kept time
 * comes from the committed clips only, so a clip written before a failure and never committed shows
 * as dropped, as it is. Each span is a {@code rect} with {@code data-kind}, {@code data-from} and
 * {@code data-to} (epoch ms) and a hover title; no script.
 */
public final class CameraTimeline {
    /** A closed-open span of clock time, epoch milliseconds. */
    public record Span(long from, long to) {
        long millis() {
            return to - from;
        }
    }

    static final String KEPT = "#2ca02c", DROPPED = "#c7c7c7", GAP = "#d62728";
    // side margins leave room for half a tick label (HH:mm:ss) at either end
    static final int WIDTH = 880, HEIGHT = 96, LEFT = 32, RIGHT = 32, TOP = 30, BAND = 26;

    private final String camera;
    private final List<Span> kept, dropped, gaps;
    private final long from, to;

    /**
     * @param recorded the camera's recorded segments (any order, may overlap the clips)
     * @param clips    the committed clips' spans
     * @param gaps     spans without video
     */
    public CameraTimeline(String camera, List<Span> recorded, List<Span> clips, List<Span> gaps) {
        this.camera = camera;
        this.kept = union(clips);
        this.gaps = union(gaps);
        this.dropped = minus(union(recorded), this.kept);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (List<Span> l : List.of(recorded, clips, gaps)) {
            for (Span s : l) {
                lo = Math.min(lo, s.from);
                hi = Math.max(hi, s.to);
            }
        }
        if (lo >= hi) throw new IllegalArgumentException("camera " + camera + ": nothing recorded to draw");
        this.from = lo;
        this.to = hi;
    }

    public List<Span> kept() {
        return kept;
    }

    public List<Span> dropped() {
        return dropped;
    }

    static long total(List<Span> spans) {
        long t = 0;
        for (Span s : spans) t += s.millis();
        return t;
    }

    /** Sorted, overlapping and touching spans merged. */
    static List<Span> union(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans.stream().filter(s -> s.to > s.from).toList());
        sorted.sort(Comparator.comparingLong(Span::from));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            if (!out.isEmpty() && s.from <= out.get(out.size() - 1).to) {
                Span last = out.remove(out.size() - 1);
                out.add(new Span(last.from, Math.max(last.to, s.to)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code a} without {@code b}; both sorted and disjoint (from {@link #union}). */
    static List<Span> minus(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>();
        for (Span s : a) {
            long start = s.from;
            for (Span k : b) {
                if (k.to <= start || k.from >= s.to) continue;
                if (k.from > start) out.add(new Span(start, k.from));
                start = Math.max(start, k.to);
            }
            if (start < s.to) out.add(new Span(start, s.to));
        }
        return out;
    }

    private double x(long t) {
        return LEFT + (double) (t - from) / (to - from) * (WIDTH - LEFT - RIGHT);
    }

    private static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }

    private void spans(StringBuilder b, List<Span> spans, String kind, String color) {
        for (Span s : spans) {
            double x0 = x(s.from), w = Math.max(0.75, x(s.to) - x0);
            b.append(fmt("<rect class=\"span\" data-kind=\"%s\" data-from=\"%d\" data-to=\"%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                            + "<title>%s %s–%s (%.1f s)</title></rect>", kind, s.from, s.to, x0, TOP, w, BAND, color, kind,
                    SvgChart.clockLabel(s.from, true), SvgChart.clockLabel(s.to, true), s.millis() / 1000.0));
        }
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg class=\"timeline\" data-camera=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">", Html.escape(camera), WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
        long k = total(kept), d = total(dropped), g = total(gaps);
        b.append(fmt("<text x=\"%d\" y=\"12\" font-weight=\"bold\">camera %s</text>", LEFT, Html.escape(camera)));
        // legend above the band, never over it
        int lx = LEFT + 8 + 7 * Math.min(40, camera.length()) + 60;
        for (String[] item : new String[][] {{KEPT, fmt("kept %.1f s", k / 1000.0)}, {DROPPED, fmt("dropped %.1f s", d / 1000.0)},
                {GAP, fmt("no video %.1f s", g / 1000.0)}}) {
            b.append(fmt("<rect x=\"%d\" y=\"3\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"12\">%s</text>", lx, item[0], lx + 14, item[1]));
            lx += 14 + 7 * item[1].length() + 16;
        }
        b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, WIDTH - LEFT - RIGHT, BAND));
        spans(b, dropped, "dropped", DROPPED);
        spans(b, kept, "kept", KEPT);
        spans(b, gaps, "no video", GAP);
        long[] ticks = SvgChart.timeTicks(from, to, 8);
        boolean seconds = false;
        for (long t : ticks) seconds |= t % 60_000 != 0;
        int axis = TOP + BAND;
        for (long t : ticks) {
            double x = x(t);
            b.append(fmt("<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>", x, axis, x, axis + 5));
            b.append(fmt("<text class=\"tick-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, axis + 18, SvgChart.clockLabel(t, seconds)));
        }
        b.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">clock time (%s)</text>", WIDTH - RIGHT, HEIGHT - 2,
                Html.escape(dev.winnow.examples.live.Clock.zone().getId())));
        return b.append("</svg>").toString();
    }
}
