package dev.winnow.examples.cascade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Linking boxes into tracks, events of at least a second, and finding them, on constructed frames. */
class TracksTest {
    /** Boxes x, y, w, h, score. */
    static float[] boxes(float... xywh) {
        float[] out = new float[xywh.length / 4 * 5];
        for (int i = 0; i < xywh.length / 4; i++) {
            System.arraycopy(xywh, 4 * i, out, 5 * i, 4);
            out[5 * i + 4] = 0.9f;
        }
        return out;
    }

    @Test
    void iouOfKnownBoxes() {
        float[] a = {0, 0, 10, 10}, b = {5, 0, 10, 10}, c = {20, 20, 5, 5};
        assertEquals(50.0 / 150, Tracks.iou(a, 0, b, 0), 1e-9);   // overlap 5x10 = 50; union 100 + 100 - 50
        assertEquals(0, Tracks.iou(a, 0, c, 0));
        assertEquals(1, Tracks.iou(a, 0, a, 0), 1e-12);
    }

    @Test
    void twoPeopleWalkingStayTwoTracksAndAShortGapIsBridged() {
        // person A moves right 2 px a frame (IoU with the last box 8/12 = 0.67); B stands still, unseen on frame 2
        float[][] f = {
            boxes(0, 0, 10, 10, 50, 50, 10, 10),
            boxes(2, 0, 10, 10, 50, 50, 10, 10),
            boxes(4, 0, 10, 10),
            boxes(6, 0, 10, 10, 50, 50, 10, 10),
            boxes(),
            boxes(50, 50, 10, 10),
        };
        List<Tracks.Track> t = Tracks.link(f, 0.3, 1);
        assertEquals(2, t.size(), t.toString());
        assertArrayEquals(new int[] {0, 1, 2, 3}, t.get(0).frames());
        assertEquals(4, t.get(0).span());
        assertArrayEquals(new float[] {6, 0, 10, 10}, t.get(0).boxes()[3]);
        assertArrayEquals(new int[] {0, 1, 3, 5}, t.get(1).frames(), "B: one missed frame at a time is bridged (max gap 1)");
        assertEquals(6, t.get(1).span());
        // with no gap allowed, B breaks into three tracks
        assertEquals(4, Tracks.link(f, 0.3, 0).size());
    }

    @Test
    void aJumpBeyondTheIouThresholdStartsANewTrack() {
        float[][] f = {boxes(0, 0, 10, 10), boxes(9, 0, 10, 10)};   // IoU 10/190 = 0.05
        List<Tracks.Track> t = Tracks.link(f, 0.3, 5);
        assertEquals(2, t.size());
        assertEquals(1, Tracks.link(f, 0.05, 5).size());
    }

    @Test
    void greedyMatchingGivesEachBoxToItsBestTrack() {
        // two tracks side by side; on frame 1 the boxes come in the other order: still matched by overlap
        float[][] f = {boxes(0, 0, 10, 10, 12, 0, 10, 10), boxes(13, 0, 10, 10, 1, 0, 10, 10)};
        List<Tracks.Track> t = Tracks.link(f, 0.3, 0);
        assertEquals(2, t.size());
        assertArrayEquals(new float[] {1, 0, 10, 10}, t.get(0).boxes()[1]);
        assertArrayEquals(new float[] {13, 0, 10, 10}, t.get(1).boxes()[1]);
    }

    @Test
    void presenceRunsBridgeShortGaps() {
        boolean[] p = ConfusionTest.b("0110100011");
        List<Tracks.Track> t = Tracks.presenceRuns(p, 1);
        assertEquals(2, t.size());
        assertArrayEquals(new int[] {1, 2, 4}, t.get(0).frames());
        assertArrayEquals(new int[] {8, 9}, t.get(1).frames());
        assertNull(t.get(0).boxes());
        assertEquals(3, Tracks.presenceRuns(p, 0).size());
    }

    @Test
    void eventsLastAtLeastASecondAndAreFoundByPresenceOrByTheirBoxes() {
        // at 4 frames/s: a track over frames 0..4 (5 frames) is an event, one over 6..7 is not
        float[][] f = new float[8][];
        for (int k = 0; k < 8; k++) f[k] = k <= 4 ? boxes(0, 0, 10, 10) : k >= 6 ? boxes(40, 40, 10, 10) : boxes();
        List<Tracks.Track> events = Tracks.events(Tracks.link(f, 0.3, 0), 4);
        assertEquals(1, events.size());
        Tracks.Track e = events.get(0);
        assertEquals(0, e.first());
        assertEquals(4, e.last());

        boolean[] onlyAfter = ConfusionTest.b("00000111");
        assertFalse(Tracks.foundByPresence(e, onlyAfter));
        boolean[] onceInside = ConfusionTest.b("00100000");
        assertTrue(Tracks.foundByPresence(e, onceInside));

        float[][] elsewhere = new float[8][];
        elsewhere[2] = boxes(60, 60, 10, 10);              // someone, but not this person
        assertFalse(Tracks.foundByBoxes(e, elsewhere, onceInside, 0.3));
        float[][] there = new float[8][];
        there[3] = boxes(2, 1, 10, 10);                    // IoU 72/128 = 0.56 with the event's box
        assertTrue(Tracks.foundByBoxes(e, there, ConfusionTest.b("00010000"), 0.3));
        // a presence run has no boxes: presence decides
        Tracks.Track run = Tracks.presenceRuns(ConfusionTest.b("11111000"), 0).get(0);
        assertTrue(Tracks.foundByBoxes(run, new float[8][], onceInside, 0.3));
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Tracks.link(new float[1][], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Tracks.link(new float[1][], 0.3, -1));
        assertThrows(IllegalArgumentException.class, () -> Tracks.presenceRuns(new boolean[1], -1));
    }
}
