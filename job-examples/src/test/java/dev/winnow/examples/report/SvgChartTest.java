package dev.winnow.examples.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    @Test
    void ticksFallOnRoundNumbers() {
        assertArrayEquals(new double[] {0, 5, 10}, SvgChart.niceTicks(0, 11, 5), 1e-9);
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10}, SvgChart.niceTicks(0, 10, 5), 1e-9);
        assertArrayEquals(new double[] {36.5, 37.0}, SvgChart.niceTicks(36.31, 37.27, 2), 1e-9);
        long t0 = 1_700_000_000_000L; // 22:13:20 UTC
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            long[] ticks = SvgChart.timeTicks(t0, t0 + 20_000, 8);
            assertEquals(5_000, ticks[1] - ticks[0], "5 s steps over 20 s");
            assertEquals("22:13:20", SvgChart.clockLabel(ticks[0], true));
            assertEquals(0, ticks[0] % 5_000, "ticks on whole multiples of the step");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void windowsEndAtTheLastWindowsEndAndTheLegendIsAboveThePlot() {
        String svg = new SvgChart("t", "x", "y").size(400, 200)
                .windows("w", "#000", new double[] {0, 10}, new double[] {10, 20}, new double[] {1, 2}).render();
        String points = svg.substring(svg.indexOf("points=\"") + 8);
        points = points.substring(0, points.indexOf('"'));
        String[] p = points.split(" ");
        assertEquals(p[p.length - 2].split(",")[1], p[p.length - 1].split(",")[1], "the last window is a horizontal segment, not a point");
        assertNotEquals(p[p.length - 2].split(",")[0], p[p.length - 1].split(",")[0]);
        int legendY = Integer.parseInt(svg.replaceAll("(?s).*<rect x=\"\\d+\" y=\"(\\d+)\" width=\"12\".*", "$1"));
        int plotTop = Integer.parseInt(svg.replaceAll("(?s).*<rect x=\"56\" y=\"(\\d+)\" width=\"[\\d.]+\" height=\"[\\d.]+\" fill=\"#fafafa\".*", "$1"));
        assertTrue(legendY < plotTop, "legend at y " + legendY + " above the plot at " + plotTop);
    }
}
