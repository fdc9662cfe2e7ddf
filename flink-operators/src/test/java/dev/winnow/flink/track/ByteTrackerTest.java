package dev.winnow.flink.track;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracker on synthetic boxes: crossings, occlusions, low-score frames, births, bad rows, bounds. */
class ByteTrackerTest {
    static float[] boxes(float... rows) {
        return rows;
    }

    /** A 40x80 person at top-left (x, y) with a score. */
    static float[] person(float x, float y, float score) {
        return new float[] {x, y, 40, 80, score};
    }

    static float[] frame(float[]... people) {
        float[] out = new float[5 * people.length];
        for (int i = 0; i < people.length; i++) System.arraycopy(people[i], 0, out, 5 * i, 5);
        return out;
    }

    /** The id whose box's x is closest to {@code x}, or -1 when none is within 20 px. */
    static long idNear(ByteTracker t, float x, float y) {
        long best = -1;
        double bd = 20;
        for (int i = 0; i < t.visible(); i++) {
            double d = Math.hypot(t.boxes()[4 * i] - x, t.boxes()[4 * i + 1] - y);
            if (d < bd) { bd = d; best = t.ids()[i]; }
        }
        return best;
    }

    /**
     * 2 fps: a 40x80 walker moves 36 px a frame (0.45 box heights, 90 % of the width), so the box and
     * its first predictions hardly overlap (IoU < 0.06). The distance fallback keeps one track; without it
     * every frame starts a new tentative track and the walker never gets an id.
     */
    @Test
    void aWalkerAtTwoFramesPerSecondKeepsOneId() {
        for (double gate : new double[] {TrackerConfig.defaults().distanceGate, 0}) {
            ByteTracker t = new ByteTracker(TrackerConfig.builder().distanceGate(gate).build());
            TrackTable table = t.newTable();
            List<Long> ids = new ArrayList<>();
            for (int n = 0; n < 12; n++) {
                t.step(table, frame(person(20 + 36 * n, 100, 0.9f)));
                for (int i = 0; i < t.visible(); i++) ids.add(t.ids()[i]);
            }
            if (gate > 0) assertEquals(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), ids, "one id from the third frame on");
            else assertTrue(ids.isEmpty() || ids.size() < 10, "IoU alone loses the walker at 2 fps: " + ids);
        }
    }

    @Test
    void theDistanceFallbackNeedsASimilarSizeAndANearCentre() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults());
        TrackTable table = t.newTable();
        for (int n = 0; n < 3; n++) t.step(table, frame(person(100, 100, 0.9f)));
        assertEquals(1, t.visible());
        // 80 px right (1.0 heights, beyond the 0.9 gate): no match, id 1 coasts and a new tentative track starts
        t.step(table, frame(person(180, 100, 0.9f)));
        assertEquals(0, t.visible());
        assertEquals(1, t.alive());
        // 28 px from the prediction but half the height (IoU 0.11): not the same person either
        t.step(table, frame(new float[] {130, 140, 20, 40, 0.9f}));
        assertEquals(0, t.visible());
        // 30 px left of the prediction (IoU 0.14), same size: id 1 again
        t.step(table, frame(person(70, 100, 0.9f)));
        assertEquals(1, t.visible());
        assertEquals(1L, t.ids()[0]);
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.builder().distanceGate(-1).build());
    }

    @Test
    void twoPeopleCrossingKeepTheirIds() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults());
        TrackTable table = t.newTable();
        // A walks right along y=100, B walks left along y=130, 8 px/frame; they overlap from frame 20 to 30
        List<Long> idsOfA = new ArrayList<>(), idsOfB = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            float ax = 100 + 8 * n, bx = 500 - 8 * n;
            t.step(table, frame(person(ax, 100, 0.9f), person(bx, 130, 0.8f)));
            if (n < 2) {
                assertEquals(0, t.visible(), "no id before the third hit");
                continue;
            }
            assertEquals(2, t.visible(), "frame " + n);
            idsOfA.add(idNear(t, ax, 100));
            idsOfB.add(idNear(t, bx, 130));
        }
        assertTrue(idsOfA.stream().allMatch(id -> id == 1L), "A keeps id 1 through the crossing: " + idsOfA);
        assertTrue(idsOfB.stream().allMatch(id -> id == 2L), "B keeps id 2 through the crossing: " + idsOfB);
        assertEquals(3, table.nextId);
    }

    @Test
    void anOcclusionShorterThanTheMissesKeepsTheIdALongerOneDoesNot() {
        ByteTracker t = new ByteTracker(TrackerConfig.builder().maxMisses(10).build());
        TrackTable table = t.newTable();
        int n = 0;
        for (; n < 10; n++) t.step(table, frame(person(100 + 6 * n, 200, 0.9f)));
        assertArrayEquals(new long[] {1}, java.util.Arrays.copyOf(t.ids(), t.visible()));
        for (int k = 0; k < 8; k++, n++) {
            t.step(table, new float[0]); // behind a pillar for 8 frames
            assertEquals(0, t.visible());
            assertEquals(1, t.alive(), "coasting, not dead");
        }
        for (int k = 0; k < 5; k++, n++) {
            t.step(table, frame(person(100 + 6 * n, 200, 0.9f)));
            assertEquals(1, t.visible());
            assertEquals(1, t.ids()[0], "same id after the occlusion, frame " + n);
            // the filtered box follows the walk it extrapolated
            assertEquals(100 + 6 * n, t.boxes()[0], 3);
        }
        for (int k = 0; k < 11; k++, n++) t.step(table, new float[0]);
        assertEquals(0, t.alive(), "11 misses > 10: the track is gone");
        for (int k = 0; k < 3; k++, n++) t.step(table, frame(person(100 + 6 * n, 200, 0.9f)));
        assertEquals(2, t.ids()[0], "a new person as far as the tracker knows");
    }

    @Test
    void lowScoreDetectionsExtendATrackButStartNone() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults());
        TrackTable table = t.newTable();
        for (int n = 0; n < 5; n++) t.step(table, frame(person(100 + 5 * n, 200, 0.9f)));
        for (int n = 5; n < 15; n++) {
            // half hidden: the score drops to 0.3, and a low-score blob elsewhere appears too
            t.step(table, frame(person(100 + 5 * n, 200, 0.3f), person(600, 300, 0.3f)));
            assertEquals(1, t.visible(), "frame " + n);
            assertEquals(1, t.ids()[0]);
        }
        assertEquals(1, table.size, "the low-score blob started no track");
        // with the second pass off (low = high), the same frames are misses and the track dies after 10
        ByteTracker strict = new ByteTracker(TrackerConfig.builder().scores(0.6f, 0.6f).build());
        TrackTable st = strict.newTable();
        for (int n = 0; n < 5; n++) strict.step(st, frame(person(100 + 5 * n, 200, 0.9f)));
        for (int n = 5; n < 16; n++) strict.step(st, frame(person(100 + 5 * n, 200, 0.3f)));
        assertEquals(0, strict.alive());
    }

    @Test
    void aOneFrameFalsePositiveNeverGetsAnId() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults());
        TrackTable table = t.newTable();
        for (int n = 0; n < 20; n++) {
            // a flicker at a new place every other frame: each is a tentative track that dies at its first miss
            t.step(table, n % 2 == 0 ? frame(person(50 * n, 10, 0.95f)) : new float[0]);
            assertEquals(0, t.visible());
        }
        assertEquals(1, table.nextId, "no id was handed out");
    }

    @Test
    void malformedRowsAreLeftOutAndCountedTheRestIsTracked() {
        ByteTracker t = new ByteTracker(TrackerConfig.builder().birthHits(1).build());
        TrackTable table = t.newTable();
        t.step(table, boxes(10, 10, 40, 80, 0.9f, Float.NaN, 10, 40, 80, 0.9f, 300, 10, 0, 80, 0.9f, 400, 10, 40, 80, Float.POSITIVE_INFINITY));
        assertEquals(3, t.malformed());
        assertEquals(1, t.visible());
        t.step(table, boxes(12, 10, 40, 80, 0.9f, 1, 2));
        assertEquals(1, t.malformed(), "a trailing partial row");
        assertEquals(1, t.ids()[0]);
    }

    @Test
    void boundsDropAndCountTheExcess() {
        ByteTracker t = new ByteTracker(TrackerConfig.builder().birthHits(1).bounds(2, 3).build());
        TrackTable table = t.newTable();
        t.step(table, frame(person(0, 0, 0.9f), person(100, 0, 0.9f), person(200, 0, 0.9f), person(300, 0, 0.9f)));
        assertEquals(1, t.truncated(), "4 rows, 3 read");
        assertEquals(1, t.droppedBirths(), "3 people, 2 slots");
        assertEquals(2, t.visible());
        var e = assertThrows(IllegalArgumentException.class, () -> new ByteTracker(TrackerConfig.defaults()).step(new TrackTable(5), new float[0]));
        assertTrue(e.getMessage().contains("capacity 5"), e.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> TrackerConfig.builder().scores(0.7f, 0.5f).build());
        assertTrue(c.getMessage().contains("low <= high"), c.getMessage());
    }

    @Test
    void aStepAllocatesNothingAfterWarmUp() {
        ByteTracker t = new ByteTracker(TrackerConfig.defaults());
        TrackTable table = t.newTable();
        float[][] frames = new float[200][];
        for (int n = 0; n < frames.length; n++) {
            float[][] people = new float[12][];
            for (int p = 0; p < people.length; p++) people[p] = person((37 * p + 5 * n) % 700, 40 * p, (n + p) % 9 == 0 ? 0.3f : 0.9f);
            frames[n] = frame(people);
        }
        // long enough for the JIT to settle after other tests ran the tracker with other settings (a late recompile is not a per-step cost)
        for (int r = 0; r < 150; r++) for (float[] f : frames) t.step(table, f);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int r = 0; r < 20; r++) for (float[] f : frames) t.step(table, f);
        long after = mx.getThreadAllocatedBytes(id);
        long overhead = mx.getThreadAllocatedBytes(id) - after; // what reading the counter itself costs
        assertTrue(after - before <= 2 * overhead + 64, "4000 steps allocated " + (after - before) + " bytes");
        assertTrue(t.visible() > 0);
    }
}
