package dev.winnow.tools.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyPasteTest {
    static final int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
    static final byte PLATE = (byte) 120, PERSON = (byte) 30;

    static byte[] plate() {
        byte[] p = new byte[W * H];
        Arrays.fill(p, PLATE);
        return p;
    }

    /** A frame of the plate with a dark person-shaped block (the box less a one-pixel rim) in each box. */
    static DetectorTrainer.Sample frame(String clip, float[]... boxes) {
        byte[] px = plate();
        for (float[] b : boxes)
            for (int y = (int) b[1] + 1; y < (int) (b[1] + b[3]) - 1; y++)
                for (int x = (int) b[0] + 1; x < (int) (b[0] + b[2]) - 1; x++) px[y * W + x] = PERSON;
        return new DetectorTrainer.Sample(clip, 0, px, List.of(boxes));
    }

    static double darkFraction(byte[] px, float[] b) {
        int dark = 0, n = 0;
        for (int y = (int) Math.ceil(b[1]) + 1; y < (int) (b[1] + b[3]) - 1; y++)
            for (int x = (int) Math.ceil(b[0]) + 1; x < (int) (b[0] + b[2]) - 1; x++) {
                if ((px[y * W + x] & 0xff) < 60) dark++;
                n++;
            }
        return (double) dark / n;
    }

    @Test
    void cutsOnlyPeopleStandingAloneAndApartFromThePlate() {
        DetectorTrainer.Sample alone = frame("vtest", new float[] {100, 80, 14, 36});
        DetectorTrainer.Sample pair = frame("vtest", new float[] {200, 80, 14, 36}, new float[] {212, 82, 14, 36});
        // labelled, but the pixels are the plate's: a false label, or someone standing still long enough to be in the plate
        DetectorTrainer.Sample ghost = new DetectorTrainer.Sample("vtest", 0, plate(), List.of(new float[] {50, 50, 14, 36}));
        DetectorTrainer.Sample tree = frame("tree", new float[] {150, 80, 14, 36});
        List<CopyPaste.Cutout> cs = CopyPaste.cut(List.of(alone, pair, ghost, tree), plate());
        assertEquals(1, cs.size());
        assertArrayEquals(new float[] {100, 80, 14, 36}, cs.get(0).box());
        assertThrows(IllegalArgumentException.class, () -> new CopyPaste(List.of(), 1f, 2));
    }

    @Test
    void pastedPeopleGetBoxesOnTheirPixelsAndLeaveEveryLabelVisible() {
        List<CopyPaste.Cutout> cs = CopyPaste.cut(List.of(frame("vtest", new float[] {40, 100, 14, 36}), frame("vtest", new float[] {260, 96, 16, 38})), plate());
        CopyPaste cp = new CopyPaste(cs, 1f, 3);
        float[] target = {150, 102, 14, 36};
        DetectorTrainer.Sample s = frame("vtest", target);
        int beside = 0, total = 0;
        for (long seed = 0; seed < 60; seed++) {
            DetectorTrainer.Sample p = cp.apply(s, new Random(seed));
            assertTrue(p.boxes().size() >= 2 && p.boxes().size() <= 4, "seed " + seed + ": " + p.boxes().size() + " boxes");
            assertSame(target, p.boxes().get(0));
            for (int i = 1; i < p.boxes().size(); i++) {
                float[] b = p.boxes().get(i);
                assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= W && b[1] + b[3] <= H);
                assertTrue(darkFraction(p.pixels(), b) > 0.4, "seed " + seed + ": pasted box " + Arrays.toString(b) + " is not on a person");
                float gap = Math.abs(b[0] + b[2] / 2 - (target[0] + target[2] / 2));
                if (gap < 1.2f * target[2] && Math.abs(b[1] + b[3] - (target[1] + target[3])) < 1f) beside++;
                total++;
            }
            // every label, old or pasted, keeps at least 1 - MAX_COVER of its person in view
            for (float[] b : p.boxes()) assertTrue(darkFraction(p.pixels(), b) > 0.3, "seed " + seed + ": " + Arrays.toString(b) + " hidden");
            assertArrayEquals(p.pixels(), cp.apply(s, new Random(seed)).pixels(), "the same seed pastes the same");
        }
        assertTrue(beside > total / 3, beside + " of " + total + " pasted beside the person, at their foot row");
        assertArrayEquals(frame("vtest", target).pixels(), s.pixels(), "the source sample is not modified");
    }

    /** A person pasted behind someone (feet higher in the frame) is hidden by them; one pasted ahead hides part of them. */
    @Test
    void peoplePastedInDepthAreOccludedByWhoeverIsNearer() {
        List<DetectorTrainer.Sample> sources = new java.util.ArrayList<>();
        for (int foot = 100; foot <= 180; foot += 4) sources.add(frame("vtest", new float[] {40, foot - 36, 14, 36}));
        CopyPaste cp = new CopyPaste(CopyPaste.cut(sources, plate()), 1f, 1);
        float[] target = {150, 102, 14, 36};
        DetectorTrainer.Sample s = frame("vtest", target);
        int behind = 0, ahead = 0;
        for (long seed = 0; seed < 300; seed++) {
            DetectorTrainer.Sample p = cp.apply(s, new Random(seed));
            if (p.boxes().size() < 2) continue;
            float[] b = p.boxes().get(1);
            float step = b[1] + b[3] - (target[1] + target[3]);
            if (Math.abs(step) < 1f) continue; // beside, on the same row: either may be in front
            boolean overlaps = b[0] < target[0] + target[2] && b[0] + b[2] > target[0] && b[1] < target[1] + target[3] && b[1] + b[3] > target[1];
            if (!overlaps) continue;
            byte[] before = s.pixels(), after = p.pixels();
            int changedInTarget = 0;
            for (int y = (int) target[1]; y < target[1] + target[3]; y++)
                for (int x = (int) target[0]; x < target[0] + target[2]; x++) if (before[y * W + x] != after[y * W + x]) changedInTarget++;
            if (step < 0) {
                behind++;
                assertEquals(0, changedInTarget, "seed " + seed + ": a person pasted behind drew over the one in front");
            } else if (step > 0) {
                ahead++;
                // the pasted person has the plate's rim around it, so hiding shows as pixels of the target changed
                assertTrue(changedInTarget > 0, "seed " + seed + ": a person pasted ahead left the one behind unhidden");
            }
        }
        assertTrue(behind > 5 && ahead > 5, behind + " pasted behind, " + ahead + " ahead");
    }

    @Test
    void syntheticScenesHoldOnlyPastedPeopleEachWithItsBox() {
        CopyPaste cp = new CopyPaste(CopyPaste.cut(perspectiveSources(), plate()), 0.5f, 3);
        DetectorTrainer.Sample empty = new DetectorTrainer.Sample(DetectorTrainer.SYNTHETIC, 0, plate(), List.of());
        int people = 0;
        for (long seed = 0; seed < 30; seed++) {
            DetectorTrainer.Sample s = cp.scene(empty, new Random(seed));
            assertTrue(s.boxes().size() >= 2 && s.boxes().size() <= CopyPaste.SCENE_MAX, s.boxes().size() + " people");
            people += s.boxes().size();
            byte[] px = s.pixels();
            int dark = 0;
            for (byte b : px) if ((b & 0xff) < 60) dark++;
            double boxed = 0;
            for (float[] b : s.boxes()) {
                assertTrue(darkFraction(px, b) > 0.3, "seed " + seed + ": " + Arrays.toString(b));
                boxed += b[2] * b[3];
            }
            assertTrue(dark <= boxed, "seed " + seed + ": person pixels outside every box");
        }
        assertTrue(people >= 30 * (CopyPaste.SCENE_MIN + 1), people + " people in 30 scenes");
        assertArrayEquals(plate(), empty.pixels(), "the plate is not drawn on");
    }

    /** People on the plate at heights growing linearly with the foot row, as the camera's perspective makes them. */
    static List<DetectorTrainer.Sample> perspectiveSources() {
        List<DetectorTrainer.Sample> sources = new java.util.ArrayList<>();
        for (int foot = 60; foot <= 230; foot += 5) sources.add(frame("vtest", new float[] {20 + 2 * foot % 250, foot - (0.24f * foot + 8), 0.065f * foot + 6, 0.24f * foot + 8}));
        return sources;
    }

    @Test
    void farPastesAreNearerPeopleShrunkToTheHeightAtTheirFootRow() {
        List<CopyPaste.Cutout> cs = CopyPaste.cut(perspectiveSources(), plate());
        float[] line = CopyPaste.heightLine(cs);
        assertEquals(0.24f, line[0], 0.03f);
        CopyPaste cp = new CopyPaste(cs, 1f, 1, 1f);
        DetectorTrainer.Sample empty = new DetectorTrainer.Sample(DetectorTrainer.SYNTHETIC, 0, plate(), List.of());
        int far = 0;
        for (long seed = 0; seed < 40; seed++) {
            DetectorTrainer.Sample s = cp.scene(empty, new Random(seed));
            float[] b = s.boxes().get(0); // the first person of a scene is placed on their own
            float foot = b[1] + b[3];
            assertTrue(foot >= CopyPaste.FAR_MIN_FOOT - 1 && foot <= CopyPaste.FAR_MAX_FOOT + 1, "foot row " + foot);
            assertEquals(line[0] * foot + line[1], b[3], 1.5f, "height at foot row " + foot);
            assertTrue(darkFraction(s.pixels(), b) > 0.3, "seed " + seed + ": shrunk person not under its box " + Arrays.toString(b));
            far++;
        }
        assertEquals(40, far);
        CopyPaste.Cutout c = cs.get(cs.size() - 1), half = c.scaled(0.5f);
        assertEquals(Math.round(c.w() * 0.5f), half.w());
        assertEquals(c.box()[3] / 2, half.box()[3], 1e-4f);
        assertEquals(c.foot() - c.y0(), 2 * (half.foot() - half.y0()), 1e-3f);
    }

    @Test
    void framesWithoutPeopleStayNegative() {
        CopyPaste cp = new CopyPaste(CopyPaste.cut(List.of(frame("vtest", new float[] {40, 100, 14, 36})), plate()), 1f, 3);
        DetectorTrainer.Sample neg = new DetectorTrainer.Sample("plate", 0, plate(), List.of());
        DetectorTrainer.Sample tree = new DetectorTrainer.Sample("tree", 3, plate(), List.of());
        assertSame(neg, cp.apply(neg, new Random(1)));
        assertSame(tree, cp.apply(tree, new Random(1)));
        assertTrue(CopyPaste.fits(new float[] {0, 0, 10, 10}, List.of(new float[] {6, 0, 10, 10})));
        assertTrue(!CopyPaste.fits(new float[] {0, 0, 10, 10}, List.of(new float[] {3, 0, 10, 10})));
    }

    @Test
    void cropsTallSureLonePeopleOfOtherCamerasWithFeatheredEdges() {
        DetectorTrainer.Sample ball = frame("ball", new float[] {40, 60, 40, 100, 0.8f}, new float[] {200, 60, 40, 30, 0.8f},
                new float[] {120, 60, 30, 100, 0.4f});
        DetectorTrainer.Sample vtest = frame("vtest", new float[] {40, 60, 40, 100, 0.8f});
        List<CopyPaste.Cutout> crops = CopyPaste.crops(List.of(ball, vtest));
        assertEquals(1, crops.size(), "vtest, the short and the unsure person give none");
        CopyPaste.Cutout c = crops.get(0);
        assertArrayEquals(new float[] {40, 60, 40, 100}, c.box());
        assertEquals(0f, c.alpha()[0], 0.2f, "a corner fades out");
        assertEquals(1f, c.alpha()[50 * c.w() + 20], 0f, "the middle is opaque");
    }

    @Test
    void pastesPeopleAnywhereAtAnySizeOnAnEmptyFrame() {
        DetectorTrainer.Sample ball = frame("ball", new float[] {40, 60, 40, 100, 0.8f});
        DetectorTrainer.Sample lone = frame("vtest", new float[] {100, 80, 14, 36});
        CopyPaste cp = new CopyPaste(CopyPaste.cut(List.of(lone), plate()), 1f, 1).withCrops(CopyPaste.crops(List.of(ball)));
        DetectorTrainer.Sample empty = new DetectorTrainer.Sample(DetectorTrainer.PASTED, 0, plate(), List.of());
        float tallest = 0, shortest = Float.MAX_VALUE;
        for (int seed = 0; seed < 200; seed++) {
            DetectorTrainer.Sample p = cp.anywhere(empty, new Random(seed));
            assertTrue(p.boxes().size() >= 1 && p.boxes().size() <= CopyPaste.ANY_MAX, "people pasted: " + p.boxes().size());
            for (float[] b : p.boxes()) {
                assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= W + 1e-3f && b[1] + b[3] <= H + 1e-3f, "box inside the frame: " + Arrays.toString(b));
                assertTrue(darkFraction(p.pixels(), b) > 0.3, "the person is where the box says: " + Arrays.toString(b));
                tallest = Math.max(tallest, b[3]);
                shortest = Math.min(shortest, b[3]);
            }
            assertEquals(0, empty.boxes().size(), "the source frame is left alone");
        }
        assertTrue(tallest > 150 && shortest < 30, "heights from " + shortest + " to " + tallest);
    }

    @Test
    void pastesObjectsLargeOnEmptyFramesWithoutBoxes() {
        // a stamp laid on black: a bright disc of radius 100 in the middle of the frame
        byte[] stamp = new byte[W * H];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) if ((x - 160) * (x - 160) + (y - 120) * (y - 120) < 100 * 100) stamp[y * W + x] = (byte) 220;
        DetectorTrainer.Sample animal = new DetectorTrainer.Sample("animals", 0, stamp, List.of());
        DetectorTrainer.Sample boxed = frame("animals", new float[] {40, 60, 40, 100});
        List<CopyPaste.Cutout> objects = CopyPaste.objects(List.of(animal, animal, boxed, new DetectorTrainer.Sample("ball", 0, stamp, List.of())), List.of("animals"));
        assertEquals(1, objects.size(), "one picture, once however often its clip is repeated; not a frame with someone, not another clip");
        assertEquals(0f, objects.get(0).alpha()[0], "the black around the stamp is transparent");
        assertEquals(1f, objects.get(0).alpha()[120 * W + 160], "the stamp is opaque");

        DetectorTrainer.Sample lone = frame("vtest", new float[] {100, 80, 14, 36});
        CopyPaste cp = new CopyPaste(CopyPaste.cut(List.of(lone), plate()), 1f, 1).withObjects(objects);
        DetectorTrainer.Sample empty = new DetectorTrainer.Sample(DetectorTrainer.OBJECT_SCENE, 0, plate(), List.of());
        int withPeople = 0, smallest = Integer.MAX_VALUE, largest = 0;
        for (int seed = 0; seed < 200; seed++) {
            DetectorTrainer.Sample p = cp.objectScene(empty, new Random(seed));
            int bright = 0, plate = 0;
            for (byte v : p.pixels()) {
                if (v == (byte) 220) bright++;
                if (v == PLATE) plate++;
            }
            // the disc's centre lands inside the frame, so at least a quarter of it shows (less what a person covers)
            assertTrue(bright > 0.2 * Math.PI * 50 * 50, "the object is pasted: " + bright + " pixels");
            assertTrue(plate > 0, "the frame shows around it");
            smallest = Math.min(smallest, bright);
            largest = Math.max(largest, bright);
            assertTrue(p.boxes().size() <= CopyPaste.ANY_MAX, "only pasted people are boxed: " + p.boxes().size());
            if (!p.boxes().isEmpty()) withPeople++;
        }
        assertArrayEquals(plate(), empty.pixels(), "the source frame is left alone");
        assertTrue(withPeople > 70 && withPeople < 130, "about half the scenes get people too: " + withPeople);
        assertTrue(largest > 0.9 * Math.PI * 100 * 100 && smallest < 0.5 * Math.PI * 100 * 100, "sizes from " + smallest + " to " + largest + " pixels");
    }
}
