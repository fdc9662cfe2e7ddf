package dev.winnow.runtime.stream;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrailingMedianTest {
    /** Against sorting a copy of the last n counts: windows of 1 to 20 frames over random counts, before and after wrapping. */
    @Test
    void isTheMedianOfTheLastFrames() {
        Random r = new Random(7);
        for (int n = 1; n <= 20; n++) {
            int[] state = TrailingMedian.state(n), scratch = new int[n], counts = new int[3 * n + 5];
            for (int t = 0; t < counts.length; t++) {
                counts[t] = r.nextInt(12);
                int[] last = Arrays.copyOfRange(counts, Math.max(0, t - n + 1), t + 1);
                Arrays.sort(last);
                assertEquals(last[last.length / 2], TrailingMedian.push(state, counts[t], scratch), "frame " + t + " of a window of " + n);
            }
        }
    }

    @Test
    void aWindowOfOneFrameIsTheFrame() {
        int[] state = TrailingMedian.state(1), scratch = new int[1];
        for (int c : new int[] {3, 0, 7, 7, 1}) assertEquals(c, TrailingMedian.push(state, c, scratch));
    }

    @Test
    void oneMissAndOneDoubleDoNotMoveIt() {
        int[] state = TrailingMedian.state(5), scratch = new int[5];
        int last = 0;
        for (int c : new int[] {6, 6, 2, 6, 11, 6}) last = TrailingMedian.push(state, c, scratch);
        assertEquals(6, last);
    }

    @Test
    void refusesWindowsItCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> TrailingMedian.state(0));
        assertThrows(IllegalArgumentException.class, () -> TrailingMedian.state(TrailingMedian.MAX_WINDOW + 1));
        assertEquals(TrailingMedian.MAX_WINDOW, TrailingMedian.window(TrailingMedian.state(TrailingMedian.MAX_WINDOW)));
        assertNull(TrailingMedian.refusal(1));
        assertEquals("it must be 1 to 255", TrailingMedian.refusal(256));
    }
}
