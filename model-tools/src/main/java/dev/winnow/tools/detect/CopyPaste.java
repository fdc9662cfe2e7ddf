package dev.winnow.tools.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Copy-paste augmentation (Ghiasi et al., "Simple Copy-Paste is a Strong Data Augmentation Method",
 * 2021) for a static camera: people the labels hold alone are cut out of their frame by subtraction of
 * the background plate and pasted into other training frames, mostly close to a person already
 * there: beside them at their foot row, or a step behind (hidden in part by them) or ahead (hiding
 * them in part); always cut from a frame where their feet were on about that row, so at the size a
 * person has at that depth. Optionally (the {@code far} fraction) some go far up the frame, a nearer
 * person shrunk to the height the cutouts show at that foot row. The pasted person's box joins the labels.
 *
 * <p>Why: the labels merge two people walking close into one box (the teacher's window covers
 * both; the background subtraction sees one blob for a person walking just behind another), and
 * the clip has few frames with tight groups, so the student learns to see one person where two
 * stand. Pasted pairs come with two correct boxes.
 */
public final class CopyPaste {
    /** Foreground: at least this far from the plate (of 1). */
    static final float FOREGROUND = 0.09f;
    /** A label is alone when its box widened by this fraction of its width (and a tenth of its height) meets no other label. */
    static final float ALONE_MARGIN = 0.4f;
    /** Pasted beside a person: centres this many of the two people's mean width apart, from the least to the most. */
    static final float MIN_GAP = 0.45f, MAX_GAP = 1.1f;
    /** No label may lose more than this fraction of its box to a person pasted in front of it. */
    static final float MAX_COVER = 0.55f;
    /** Pasted in depth: feet this many of the person's heights behind or ahead, centres at most this many widths across. */
    static final float MIN_DEPTH = 0.2f, MAX_DEPTH = 0.7f, MAX_DEPTH_SHIFT = 0.6f;
    /** A source and a target foot row at most this far apart (pixels); the paste is shifted to the target's row. */
    static final float ROW_TOLERANCE = 8f;

    /** A person cut from a frame: the box's pixels and how much of each is the person (0, ½ at the edge, 1). */
    record Cutout(int x0, int y0, int w, int h, byte[] pixels, float[] alpha, float[] box) {
        float foot() { return box[1] + box[3]; }

        /** This cutout shrunk by {@code s} (&le; 1) about its top-left corner, pixels and alpha sampled bilinearly. */
        Cutout scaled(float s) {
            int sw = Math.max(1, Math.round(w * s)), sh = Math.max(1, Math.round(h * s));
            byte[] px = new byte[sw * sh];
            float[] al = new float[sw * sh];
            for (int y = 0; y < sh; y++)
                for (int x = 0; x < sw; x++) {
                    float fx = Math.min(w - 1f, Math.max(0f, (x + 0.5f) / s - 0.5f)), fy = Math.min(h - 1f, Math.max(0f, (y + 0.5f) / s - 0.5f));
                    int c0 = (int) fx, r0 = (int) fy, c1 = Math.min(w - 1, c0 + 1), r1 = Math.min(h - 1, r0 + 1);
                    float ax = fx - c0, ay = fy - r0;
                    float w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
                    px[y * sw + x] = (byte) Math.round((pixels[r0 * w + c0] & 0xff) * w00 + (pixels[r0 * w + c1] & 0xff) * w01
                            + (pixels[r1 * w + c0] & 0xff) * w10 + (pixels[r1 * w + c1] & 0xff) * w11);
                    al[y * sw + x] = alpha[r0 * w + c0] * w00 + alpha[r0 * w + c1] * w01 + alpha[r1 * w + c0] * w10 + alpha[r1 * w + c1] * w11;
                }
            float[] b = {x0 + (box[0] - x0) * s, y0 + (box[1] - y0) * s, box[2] * s, box[3] * s};
            return new Cutout(x0, y0, sw, sh, px, al, b);
        }
    }

    /** Far pastes land with their feet between these rows (the far paths at the top of the frame). */
    static final float FAR_MIN_FOOT = 35f, FAR_MAX_FOOT = 100f;

    private final List<Cutout> cutouts;
    private final float probability;
    private final int maxPastes;
    private final float far;
    private final float[] heightAt;

    CopyPaste(List<Cutout> cutouts, float probability, int maxPastes) {
        this(cutouts, probability, maxPastes, 0f);
    }

    /**
     * {@code far}: the fraction of the pastes not placed next to someone that go far away (shrunk to the size at a
     * foot row between {@link #FAR_MIN_FOOT} and {@link #FAR_MAX_FOOT}); the labels hold few far people.
     */
    CopyPaste(List<Cutout> cutouts, float probability, int maxPastes, float far) {
        if (cutouts.isEmpty()) throw new IllegalArgumentException("no person stands alone in the training labels: nothing to paste");
        this.cutouts = cutouts;
        this.probability = probability;
        this.maxPastes = maxPastes;
        this.far = far;
        this.heightAt = heightLine(cutouts);
    }

    int size() { return cutouts.size(); }

    /** Cutouts of every labelled person standing alone, whole inside the frame, and standing out from the plate. */
    static List<Cutout> cut(List<DetectorTrainer.Sample> samples, byte[] plate) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        List<Cutout> out = new ArrayList<>();
        for (DetectorTrainer.Sample s : samples) {
            if (!s.clip().equals("vtest")) continue;
            List<float[]> bs = s.boxes();
            for (float[] b : bs) {
                if (b[3] < 14 || b[0] < 1 || b[1] < 1 || b[0] + b[2] > W - 1 || b[1] + b[3] > H - 1 || !alone(b, bs)) continue;
                int x0 = (int) Math.floor(b[0]) - 1, y0 = (int) Math.floor(b[1]) - 1;
                int x1 = Math.min(W, (int) Math.ceil(b[0] + b[2]) + 1), y1 = Math.min(H, (int) Math.ceil(b[1] + b[3]) + 1);
                x0 = Math.max(0, x0);
                y0 = Math.max(0, y0);
                int w = x1 - x0, h = y1 - y0, fg = 0;
                byte[] px = new byte[w * h];
                float[] alpha = new float[w * h];
                for (int y = 0; y < h; y++) {
                    // a person is nearly convex along a row: fill between the row's outermost foreground pixels, so
                    // clothes the colour of the pavement do not let the target's background show through
                    int first = -1, last = -1;
                    for (int x = 0; x < w; x++) {
                        int i = (y0 + y) * W + x0 + x;
                        px[y * w + x] = s.pixels()[i];
                        if (Math.abs((s.pixels()[i] & 0xff) - (plate[i] & 0xff)) > FOREGROUND * 255) {
                            if (first < 0) first = x;
                            last = x;
                        }
                    }
                    if (first < 0) continue;
                    for (int x = first; x <= last; x++) alpha[y * w + x] = 1f;
                    if (first > 0) alpha[y * w + first - 1] = 0.5f;
                    if (last < w - 1) alpha[y * w + last + 1] = 0.5f;
                    fg += last - first + 1;
                }
                if (fg < 0.3f * b[2] * b[3]) continue; // standing still long enough to be in the plate, or a false label
                out.add(new Cutout(x0, y0, w, h, px, alpha, b));
            }
        }
        return out;
    }

    /** Teacher boxes cropped for pasting anywhere: at least this tall (320x240 pixels) and this sure. */
    static final float CROP_MIN_HEIGHT = 40f, CROP_MIN_SCORE = 0.5f;
    /** The crop's edges fade over this fraction of its smaller side, so no hard seam marks the paste. */
    static final float FEATHER = 0.12f;

    /**
     * Box crops of the people the teacher boxed on their own in frames of cameras without a plate (every
     * clip but vtest), at least {@link #CROP_MIN_HEIGHT} tall and scored {@link #CROP_MIN_SCORE} or more:
     * the box's pixels, opaque inside and blended into the target over the outer {@link #FEATHER} of the box.
     */
    static List<Cutout> crops(List<DetectorTrainer.Sample> samples) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        List<Cutout> out = new ArrayList<>();
        for (DetectorTrainer.Sample s : samples) {
            if (s.clip().equals("vtest")) continue;
            for (float[] b : s.boxes()) {
                if (b[3] < CROP_MIN_HEIGHT || (b.length > 4 && b[4] < CROP_MIN_SCORE) || !alone(b, s.boxes())) continue;
                int x0 = Math.max(0, (int) Math.floor(b[0])), y0 = Math.max(0, (int) Math.floor(b[1]));
                int x1 = Math.min(W, (int) Math.ceil(b[0] + b[2])), y1 = Math.min(H, (int) Math.ceil(b[1] + b[3]));
                int w = x1 - x0, h = y1 - y0;
                if (w < 8 || h < 8) continue;
                byte[] px = new byte[w * h];
                float[] alpha = new float[w * h];
                float f = Math.max(2f, FEATHER * Math.min(w, h));
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        px[y * w + x] = s.pixels()[(y0 + y) * W + x0 + x];
                        float d = Math.min(Math.min(x + 0.5f, w - x - 0.5f), Math.min(y + 0.5f, h - y - 0.5f));
                        alpha[y * w + x] = Math.min(1f, d / f);
                    }
                out.add(new Cutout(x0, y0, w, h, px, alpha, new float[] {x0, y0, w, h}));
            }
        }
        return out;
    }

    /** Pasted anywhere: people per scene at most, and their heights (320x240 pixels), least and most. */
    static final int ANY_MAX = 3;
    static final float ANY_MIN_H = 18f, ANY_MAX_H = 236f;
    /** A cutout is enlarged at most this much (more is only blur). */
    static final float MAX_ENLARGE = 3f;

    private List<Cutout> crops = List.of();

    /**
     * The cutouts {@link #anywhere} draws from besides the plate's: box crops ({@link #crops}) of other cameras,
     * drawn half the time (there are far fewer of them, and they hold the tall people vtest lacks).
     */
    CopyPaste withCrops(List<Cutout> crops) {
        this.crops = List.copyOf(crops);
        return this;
    }

    int crops() { return crops.size(); }

    /**
     * One to {@link #ANY_MAX} people (a plate cutout or, half the time when there are any, a box crop) pasted on a frame of another camera, anywhere and at any size: a height
     * drawn log-uniformly in [{@link #ANY_MIN_H}, {@link #ANY_MAX_H}] (a cutout enlarged at most
     * {@link #MAX_ENLARGE} times), one in four of the tall ones cut to its upper half (head and shoulders,
     * as a webcam or a doorway shows a person). A person taller than the frame lets it clip them; the box is
     * clipped with them.
     */
    DetectorTrainer.Sample anywhere(DetectorTrainer.Sample s, Random r) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        byte[] px = s.pixels().clone();
        List<float[]> boxes = new ArrayList<>(s.boxes());
        int want = 1 + r.nextInt(ANY_MAX);
        for (int tries = 0, pasted = 0; pasted < want && tries < 8 * want; tries++) {
            List<Cutout> from = !crops.isEmpty() && r.nextBoolean() ? crops : cutouts;
            Cutout c = from.get(r.nextInt(from.size()));
            float target = (float) Math.exp(Math.log(ANY_MIN_H) + r.nextFloat() * Math.log(ANY_MAX_H / ANY_MIN_H));
            float scale = Math.min(MAX_ENLARGE, target / c.box()[3]);
            Cutout sc = c.scaled(scale);
            if (sc.box()[3] >= 60f && r.nextFloat() < 0.25f) sc = upper(sc, 0.4f + 0.25f * r.nextFloat());
            float bw = sc.box()[2], bh = sc.box()[3];
            // inside the frame; a box larger than the frame covers it, sticking out on either side
            float bx = (W - bw) * r.nextFloat(), by = (H - bh) * r.nextFloat();
            int ix = Math.round(bx - sc.box()[0]), iy = Math.round(by - sc.box()[1]);
            float cx0 = Math.max(0, sc.box()[0] + ix), cy0 = Math.max(0, sc.box()[1] + iy);
            float cx1 = Math.min(W, sc.box()[0] + ix + bw), cy1 = Math.min(H, sc.box()[1] + iy + bh);
            float[] nb = {cx0, cy0, cx1 - cx0, cy1 - cy0};
            if (!fits(nb, boxes)) continue;
            blend(px, sc, ix, iy, (x, y) -> true);
            boxes.add(nb);
            pasted++;
        }
        return new DetectorTrainer.Sample(s.clip(), s.frame(), px, boxes);
    }

    /** Pasted objects: their height, of the frame's, least and most (larger than the frame, they are clipped). */
    static final float OBJECT_MIN = 0.5f, OBJECT_MAX = 1.25f;
    /** An object picture is transparent where its grey is at most this: fetch-footage.sh lays stamps on black. */
    static final int OBJECT_BLACK = 8;

    private List<Cutout> objects = List.of();

    /**
     * The pictures of {@code clips} where the teacher boxed nobody, each once however often its clip is repeated: the
     * whole frame, opaque where it is brighter than {@link #OBJECT_BLACK} (a stamp cut out of its photo and laid on black
     * shows only the animal or thing; a photo without black is pasted whole).
     */
    static List<Cutout> objects(List<DetectorTrainer.Sample> samples, java.util.Collection<String> clips) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        List<Cutout> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DetectorTrainer.Sample s : samples) {
            if (!clips.contains(s.clip()) || !s.boxes().isEmpty() || !seen.add(s.clip() + ":" + s.frame())) continue;
            float[] alpha = new float[W * H];
            for (int i = 0; i < alpha.length; i++) alpha[i] = (s.pixels()[i] & 0xff) > OBJECT_BLACK ? 1f : 0f;
            out.add(new Cutout(0, 0, W, H, s.pixels(), alpha, new float[] {0, 0, W, H}));
        }
        return out;
    }

    /** The pictures {@link #objectScene} pastes ({@link #objects}). */
    CopyPaste withObjects(List<Cutout> objects) {
        this.objects = List.copyOf(objects);
        return this;
    }

    int objects() { return objects.size(); }

    /**
     * One object picture pasted on a people-free frame, its height drawn in [{@link #OBJECT_MIN}, {@link #OBJECT_MAX}] of
     * the frame's and its centre anywhere inside the frame; the labels stay as they were (a dog filling a phone's frame is
     * nobody). Half of the scenes then get people pasted anywhere ({@link #anywhere}), so that a large animal or thing
     * beside a person does not teach the student to miss the person.
     */
    DetectorTrainer.Sample objectScene(DetectorTrainer.Sample s, Random r) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        Cutout c = objects.get(r.nextInt(objects.size())).scaled(OBJECT_MIN + (OBJECT_MAX - OBJECT_MIN) * r.nextFloat());
        int ix = Math.round(W * r.nextFloat() - c.w() / 2f), iy = Math.round(H * r.nextFloat() - c.h() / 2f);
        byte[] px = s.pixels().clone();
        blend(px, c, ix, iy, (x, y) -> true);
        DetectorTrainer.Sample out = new DetectorTrainer.Sample(s.clip(), s.frame(), px, s.boxes());
        return r.nextBoolean() ? anywhere(out, r) : out;
    }

    /** The top {@code fraction} of a cutout's box, its new lower edge faded out as the crops' edges are. */
    static Cutout upper(Cutout c, float fraction) {
        float[] b = c.box();
        int keepRows = Math.max(1, Math.min(c.h(), Math.round(b[1] + b[3] * fraction - c.y0())));
        byte[] px = java.util.Arrays.copyOf(c.pixels(), keepRows * c.w());
        float[] al = java.util.Arrays.copyOf(c.alpha(), keepRows * c.w());
        float f = Math.max(2f, FEATHER * Math.min(c.w(), keepRows));
        for (int y = 0; y < keepRows; y++)
            for (int x = 0; x < c.w(); x++) al[y * c.w() + x] *= Math.min(1f, (keepRows - y - 0.5f) / f);
        return new Cutout(c.x0(), c.y0(), c.w(), keepRows, px, al, new float[] {b[0], b[1], b[2], c.y0() + keepRows - b[1]});
    }

    static boolean alone(float[] b, List<float[]> all) {
        float mx = ALONE_MARGIN * b[2], my = 0.1f * b[3];
        for (float[] o : all) {
            if (o == b) continue;
            if (o[0] < b[0] + b[2] + mx && o[0] + o[2] > b[0] - mx && o[1] < b[1] + b[3] + my && o[1] + o[3] > b[1] - my) return false;
        }
        return true;
    }

    /**
     * With the configured probability, a copy of {@code s} with one to {@code maxPastes} people pasted in
     * (two in five beside a person already there, one in three in depth, the rest anywhere on their own foot row);
     * else {@code s}.
     * Frames without people (tree, plate) are left alone, so the negatives stay negative.
     */
    DetectorTrainer.Sample apply(DetectorTrainer.Sample s, Random r) {
        if (!s.clip().equals("vtest") || r.nextFloat() >= probability) return s;
        return paste(s, 1 + r.nextInt(maxPastes), r);
    }

    /** People per synthetic scene: at least, and at most. */
    static final int SCENE_MIN = 4, SCENE_MAX = 12;

    /**
     * A synthetic scene: {@link #SCENE_MIN}–{@link #SCENE_MAX} people pasted on the empty plate, the first anywhere,
     * most of the others close to someone already there. Unlike a real frame, every person in it has
     * their own box, walking close or not.
     */
    DetectorTrainer.Sample scene(DetectorTrainer.Sample plate, Random r) {
        return paste(plate, SCENE_MIN + r.nextInt(SCENE_MAX - SCENE_MIN + 1), r);
    }

    private DetectorTrainer.Sample paste(DetectorTrainer.Sample s, int want, Random r) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        byte[] px = s.pixels().clone();
        List<float[]> boxes = new ArrayList<>(s.boxes());
        for (int tries = 0, pasted = 0; pasted < want && tries < 12 * want; tries++) {
            Cutout c;
            float dx, dy;
            float mode = boxes.isEmpty() ? 1f : r.nextFloat();
            if (mode < 0.75f) {
                float[] t = boxes.get(r.nextInt(boxes.size()));
                float foot = t[1] + t[3], tcx = t[0] + t[2] / 2;
                float targetFoot, cx;
                if (mode < 0.4f) { // beside: the same foot row, a fraction of a width or so apart
                    targetFoot = foot;
                    c = near(targetFoot, r);
                    if (c == null) continue;
                    float gap = (MIN_GAP + (MAX_GAP - MIN_GAP) * r.nextFloat()) * 0.5f * (t[2] + c.box()[2]);
                    cx = tcx + (r.nextBoolean() ? gap : -gap);
                } else { // in depth: a few steps behind (smaller, hidden behind them) or ahead (in front of them)
                    float step = (MIN_DEPTH + (MAX_DEPTH - MIN_DEPTH) * r.nextFloat()) * t[3];
                    boolean ahead = r.nextBoolean();
                    targetFoot = foot + (ahead ? step : -step);
                    c = near(targetFoot, r);
                    if (c == null) continue;
                    cx = tcx + (2 * r.nextFloat() - 1) * MAX_DEPTH_SHIFT * 0.5f * (t[2] + c.box()[2]);
                }
                dx = cx - (c.box()[0] + c.box()[2] / 2);
                dy = targetFoot - c.foot();
            } else if (far > 0f && r.nextFloat() < far) { // far away: a nearer person shrunk to the size at a far foot row
                float targetFoot = FAR_MIN_FOOT + (FAR_MAX_FOOT - FAR_MIN_FOOT) * r.nextFloat();
                c = farther(targetFoot, r);
                if (c == null) continue;
                dx = (W - c.box()[2]) * r.nextFloat() - c.box()[0];
                dy = targetFoot - c.foot();
            } else {
                c = cutouts.get(r.nextInt(cutouts.size()));
                dx = (W - c.box()[2]) * r.nextFloat() - c.box()[0];
                dy = 0;
            }
            int ix = Math.round(dx), iy = Math.round(dy);
            float[] nb = {c.box()[0] + ix, c.box()[1] + iy, c.box()[2], c.box()[3]};
            if (nb[0] < 0 || nb[1] < 0 || nb[0] + nb[2] > W || nb[1] + nb[3] > H) continue;
            if (!fits(nb, boxes)) continue;
            // whoever stands nearer the camera (feet lower in the frame) is in front; on the same row, either
            float foot = nb[1] + nb[3] + (r.nextBoolean() ? 0.25f : -0.25f);
            blend(px, c, ix, iy, (x, y) -> !hiddenBy(x, y, foot, boxes));
            boxes.add(nb);
            pasted++;
        }
        return new DetectorTrainer.Sample(s.clip(), s.frame(), px, boxes);
    }

    /** Whether a frame pixel shows the pasted person (is not hidden by someone in front). */
    private interface Shows {
        boolean at(int x, int y);
    }

    /**
     * Alpha-blends cutout {@code c}, moved by ({@code ix}, {@code iy}), onto the frame's pixels {@code px},
     * where it lies inside the frame and {@code shows} lets it through.
     */
    private static void blend(byte[] px, Cutout c, int ix, int iy, Shows shows) {
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        for (int y = 0; y < c.h(); y++) {
            int ty = c.y0() + iy + y;
            if (ty < 0 || ty >= H) continue;
            for (int x = 0; x < c.w(); x++) {
                int tx = c.x0() + ix + x;
                float al = c.alpha()[y * c.w() + x];
                if (tx < 0 || tx >= W || al == 0f || !shows.at(tx, ty)) continue;
                int i = ty * W + tx;
                px[i] = (byte) Math.round(al * (c.pixels()[y * c.w() + x] & 0xff) + (1 - al) * (px[i] & 0xff));
            }
        }
    }

    /**
     * A random cutout of someone nearer than feet on row {@code foot}, shrunk to the height a person has there
     * (the line through the cutouts' heights against their foot rows), or null after a few draws.
     */
    private Cutout farther(float foot, Random r) {
        float h = heightAt[0] * foot + heightAt[1];
        for (int k = 0; k < 64; k++) {
            Cutout c = cutouts.get(r.nextInt(cutouts.size()));
            float scale = h / c.box()[3];
            if (c.foot() > foot && scale <= 1f && scale >= 0.4f) return c.scaled(scale);
        }
        return null;
    }

    /** Least-squares line h = a·foot + b through the cutouts' box heights. */
    static float[] heightLine(List<Cutout> cs) {
        double n = cs.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Cutout c : cs) {
            double x = c.foot(), y = c.box()[3];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        if (n < 2 || d <= 0) return new float[] {0f, (float) (sy / Math.max(1, n))};
        double a = (n * sxy - sx * sy) / d;
        return new float[] {(float) a, (float) ((sy - a * sx) / n)};
    }

    /**
     * A random cutout whose feet were within {@link #ROW_TOLERANCE} of {@code foot}; after a few draws, with far pastes
     * on, a nearer one shrunk to that row ({@link #farther}), else null.
     */
    private Cutout near(float foot, Random r) {
        for (int k = 0; k < 64; k++) {
            Cutout c = cutouts.get(r.nextInt(cutouts.size()));
            if (Math.abs(c.foot() - foot) <= ROW_TOLERANCE) return c;
        }
        return far > 0f ? farther(foot, r) : null; // with far pastes on, few people stood that far up: shrink a nearer one
    }

    /** The new box covers at most {@link #MAX_COVER} of any label and is covered that much by none (either may be in front). */
    static boolean fits(float[] nb, List<float[]> boxes) {
        for (float[] o : boxes) {
            float iw = Math.min(nb[0] + nb[2], o[0] + o[2]) - Math.max(nb[0], o[0]);
            float ih = Math.min(nb[1] + nb[3], o[1] + o[3]) - Math.max(nb[1], o[1]);
            if (iw <= 0 || ih <= 0) continue;
            float inter = iw * ih;
            if (inter > MAX_COVER * o[2] * o[3] || inter > MAX_COVER * nb[2] * nb[3]) return false;
        }
        return true;
    }

    /** Whether (x, y) lies in the box of a person standing nearer than feet on row {@code foot}. */
    private static boolean hiddenBy(int x, int y, float foot, List<float[]> boxes) {
        for (float[] b : boxes) if (b[1] + b[3] > foot && x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3]) return true;
        return false;
    }
}
