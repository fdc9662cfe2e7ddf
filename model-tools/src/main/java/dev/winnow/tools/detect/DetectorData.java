package dev.winnow.tools.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames and labels under data/detector (decoded by scripts/data/fetch-footage.sh): each clip's frames
 * at the camera's own size ({@code <clip>/native/NNNN.png}), read as the student's 320x240 grey input
 * by the Flink frame operator's own conversion ({@link GreyInput}), and box CSVs
 * (clip,frame,x,y,w,h[,score]) in 320x240 pixels. The held-out stretch of vtest
 * starts at {@link #HOLDOUT_START}; nothing in training reads frames from there on.
 */
public final class DetectorData {
    public static final int HOLDOUT_START = 636;
    public static final int VTEST_FRAMES = 795;
    /** tree.avi frames 0..35 train, 36..52 evaluate (negatives); 53.. show a hand near the lens and are not used. */
    public static final int TREE_TRAIN_END = 36, TREE_EVAL_END = 53;

    private final Path root;

    public DetectorData(Path root) {
        this.root = root;
    }

    public Path root() { return root; }

    public Path frame(String clip, int frame) {
        return root.resolve(clip).resolve("native").resolve(String.format("%04d.png", frame));
    }

    /** A frame as the student's 320x240 grey input, floats in [0, 1], converted as a Flink job converts it. */
    public float[] load(String clip, int frame) throws IOException {
        float[] out = new float[DetectorNet.IN_W * DetectorNet.IN_H];
        GreyInput.fill(dev.winnow.tools.teacher.FrameFiles.read(frame(clip, frame)), DetectorNet.IN_W, DetectorNet.IN_H, out);
        return out;
    }

    public static float[] readPgm(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        int[] pos = {0};
        String magic = token(b, pos);
        if (!magic.equals("P5")) throw new IOException(p + ": not a binary PGM");
        int w = Integer.parseInt(token(b, pos)), h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        if (w != DetectorNet.IN_W || h != DetectorNet.IN_H || max != 255) throw new IOException(p + ": expected 320x240x255, got " + w + "x" + h + "x" + max);
        int off = pos[0] + 1;
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) out[i] = (b[off + i] & 0xff) / 255f;
        return out;
    }

    private static String token(byte[] b, int[] pos) {
        int i = pos[0];
        while (Character.isWhitespace(b[i]) || b[i] == '#') {
            if (b[i] == '#') while (b[i] != '\n') i++;
            i++;
        }
        int s = i;
        while (!Character.isWhitespace(b[i])) i++;
        pos[0] = i;
        return new String(b, s, i - s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Boxes (x, y, w, h) and an optional score, keyed by "clip:frame". */
    public static Map<String, List<float[]>> readBoxes(Path csv) throws IOException {
        Map<String, List<float[]>> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length < 6) continue;
            float[] box = new float[f.length >= 7 ? 5 : 4];
            for (int k = 0; k < box.length; k++) box[k] = Float.parseFloat(f[2 + k]);
            m.computeIfAbsent(f[0] + ":" + Integer.parseInt(f[1]), k -> new ArrayList<>()).add(box);
        }
        return m;
    }

    /** frame → count from the hand-labelled CSV (frame,count). */
    public static Map<Integer, Integer> readCounts(Path csv) throws IOException {
        Map<Integer, Integer> m = new java.util.TreeMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length >= 2) m.put(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()));
        }
        return m;
    }

}
