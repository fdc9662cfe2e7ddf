package dev.winnow.examples.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.report.CameraTimeline.Span;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CameraTimelineTest {
    static final long T0 = 1_700_000_000_000L;   // 2023-11-14 22:13:20 UTC

    static Span s(long fromSeconds, long toSeconds) {
        return new Span(T0 + fromSeconds * 1000, T0 + toSeconds * 1000);
    }

    @Test
    void keptIsTheCommittedClipsAndDroppedTheRestOfTheRecording() {
        // four 10 s segments, two overlapping clips in the middle, a 5 s gap after the recording
        CameraTimeline t = new CameraTimeline("gate", List.of(s(0, 10), s(10, 20), s(20, 30), s(30, 40)),
                List.of(s(10, 20), s(15, 30)), List.of(s(40, 45)));
        assertEquals(List.of(s(10, 30)), t.kept(), "overlapping clips merge");
        assertEquals(List.of(s(0, 10), s(30, 40)), t.dropped(), "recorded time outside every clip");
        String svg = t.render();
        assertEquals(2, count(svg, "data-kind=\"dropped\""));
        assertEquals(1, count(svg, "data-kind=\"kept\""));
        assertEquals(1, count(svg, "data-kind=\"no video\""));
        assertTrue(svg.contains("kept 20.0 s") && svg.contains("dropped 20.0 s") && svg.contains("no video 5.0 s"), svg);
        // ticks at round clock times across the 45 s run, labelled with seconds (zone of the JVM, as the other charts)
        Matcher m = Pattern.compile("class=\"tick-label\"[^>]*>([0-9:]+)<").matcher(svg);
        int ticks = 0;
        while (m.find()) {
            assertTrue(m.group(1).matches("\\d\\d:\\d\\d:\\d\\d"), m.group(1));
            ticks++;
        }
        assertTrue(ticks >= 4 && ticks <= 10, "about 8 ticks: " + ticks);
        assertTrue(svg.contains(SvgChart.clockLabel(T0 + 10_000, true)), "a tick at 22:13:30 in the JVM's zone");
    }

    @Test
    void spanArithmetic() {
        assertEquals(List.of(s(0, 5), s(6, 9)), CameraTimeline.union(List.of(s(6, 9), s(0, 3), s(2, 5), s(4, 4))), "empty spans vanish");
        assertEquals(List.of(s(0, 2), s(4, 6), s(8, 10)), CameraTimeline.minus(List.of(s(0, 10)), List.of(s(2, 4), s(6, 8))));
        assertEquals(List.of(), CameraTimeline.minus(List.of(s(0, 10)), List.of(s(-5, 20))));
    }

    @Test
    void aCameraWithNothingRecordedIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CameraTimeline("gate", List.of(), List.of(), List.of()));
        assertEquals("camera gate: nothing recorded to draw", e.getMessage());
    }

    @Test
    void theCameraIdIsEscaped() {
        String svg = new CameraTimeline("<door&1>", List.of(s(0, 10)), List.of(), List.of()).render();
        assertTrue(svg.contains("camera &lt;door&amp;1&gt;") && !svg.contains("<door"), svg);
    }

    static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
