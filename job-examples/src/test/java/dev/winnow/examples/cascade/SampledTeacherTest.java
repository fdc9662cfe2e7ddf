package dev.winnow.examples.cascade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sampled baseline's schedule and its two trackers on hand-worked sequences. */
class SampledTeacherTest {
    @Test
    void stepIsTheFrameRateOverTheSampleRate() {
        assertEquals(25, SampledTeacher.step(25, 1));
        assertEquals(13, SampledTeacher.step(25, 2));      // 12.5 rounds up
        assertEquals(30, SampledTeacher.step(29.97, 1));
        assertEquals(1, SampledTeacher.step(10, 20), "never less than every frame");
        assertTrue(SampledTeacher.sampled(26, 13));
        assertFalse(SampledTeacher.sampled(27, 13));
        assertThrows(IllegalArgumentException.class, () -> SampledTeacher.step(0, 1));
        assertThrows(IllegalArgumentException.class, () -> SampledTeacher.step(25, -1));
    }

    @Test
    void holdTakesTheLastSampleAndNearestTheCloserOne() {
        // samples every 4 frames of 10: 0, 4, 8
        assertArrayEquals(new int[] {0, 0, 0, 0, 4, 4, 4, 4, 8, 8}, SampledTeacher.source(10, 4, SampledTeacher.Mode.HOLD));
        // frame 2 is as far from 0 as from 4: the earlier wins; after the last sample there is none later
        assertArrayEquals(new int[] {0, 0, 0, 4, 4, 4, 4, 8, 8, 8}, SampledTeacher.source(10, 4, SampledTeacher.Mode.NEAREST));
        assertArrayEquals(new int[] {0, 1, 2}, SampledTeacher.source(3, 1, SampledTeacher.Mode.NEAREST));
        assertThrows(IllegalArgumentException.class, () -> SampledTeacher.source(3, 0, SampledTeacher.Mode.HOLD));
    }
}
