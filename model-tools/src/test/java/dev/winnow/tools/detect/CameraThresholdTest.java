package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CameraThresholdTest {
    /** Frames whose one detection scores {@code s}, the teacher seeing one person where {@code people}. */
    private static List<float[]> oneBox(float... s) {
        List<float[]> r = new ArrayList<>();
        for (float v : s) r.add(new float[] {v});
        return r;
    }

    @Test
    void aBaseThresholdThatAlreadyFitsIsKept() {
        // people score 0.7-0.9, empty frames 0.2-0.3: every threshold in (0.3, 0.7] fits, the base 0.5 among them
        CameraThreshold.Choice c = CameraThreshold.choose(oneBox(0.8f, 0.9f, 0.7f, 0.2f, 0.3f), new int[] {1, 1, 1, 0, 0}, 0.5f);
        assertEquals(0.5f, c.threshold());
        assertEquals(0, c.disagreements());
    }

    @Test
    void peopleScoredLowGetTheMiddleOfTheRangeThatFits() {
        // a face filling the frame scores 0.25-0.40 after fine-tuning, the empty frames at most 0.15: the base
        // (0.5) misses every person; the thresholds that fit are 0.175..0.25, and the middle one is taken
        CameraThreshold.Choice c = CameraThreshold.choose(oneBox(0.25f, 0.3f, 0.4f, 0.12f, 0.15f), new int[] {1, 1, 1, 0, 0}, 0.5f);
        assertEquals(0, c.disagreements());
        assertTrue(c.threshold() > 0.15f && c.threshold() <= 0.25f, "a threshold between the two groups: " + c.threshold());
        assertEquals(0.2125f, c.threshold(), 0.013f, "the middle of 0.175..0.25");
    }

    @Test
    void withoutAnyFitTheFewestDisagreementsWin() {
        // overlapping scores: 0.35 person, 0.40 empty; the best threshold gets one frame wrong, not two
        CameraThreshold.Choice c = CameraThreshold.choose(oneBox(0.6f, 0.35f, 0.40f, 0.1f), new int[] {1, 1, 0, 0}, 0.5f);
        assertEquals(1, c.disagreements());
        assertEquals(4, c.frames());
    }

    @Test
    void countErrorBreaksTiesBetweenThresholdsThatDecidePresenceAlike() {
        // every frame has people; a low threshold also counts the second, spurious box (0.2) of each frame
        List<float[]> scores = List.of(new float[] {0.9f, 0.2f}, new float[] {0.8f, 0.2f}, new float[] {0.85f, 0.15f});
        CameraThreshold.Choice c = CameraThreshold.choose(scores, new int[] {1, 1, 1}, 0.12f);
        assertEquals(0, c.disagreements());
        assertEquals(0.0, c.countMae(), 1e-9);
        assertTrue(c.threshold() > 0.2f, "above the spurious boxes: " + c.threshold());
    }

    @Test
    void aPeopleFreeCameraKeepsTheBaseWhenNothingScoresAboveIt() {
        CameraThreshold.Choice c = CameraThreshold.choose(oneBox(0.1f, 0.2f, 0.05f), new int[] {0, 0, 0}, 0.5f);
        assertEquals(0.5f, c.threshold());
    }
}
