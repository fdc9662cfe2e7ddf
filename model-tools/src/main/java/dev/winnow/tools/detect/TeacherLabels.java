package dev.winnow.tools.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The CenterNet teacher's labels of a clip ({@code data/detector/<clip>/teacher.csv}, written by
 * {@code winnow teacher label --boxes} over {@code <clip>/native/NNNN.png}) as the student's training
 * boxes: (x, y, w, h, score) in its 320x240 input, each box scaled as the frame is stretched there.
 * Boxes are kept at the teacher's own threshold (0.35).
 */
public final class TeacherLabels {
    private TeacherLabels() {}

    /** The labels file of a clip: {@code teacher.csv}, or a partial one (e.g. every 4th frame) when that is all there is. */
    public static Path file(Path data, String clip) {
        Path full = data.resolve(clip).resolve("teacher.csv");
        Path partial = data.resolve(clip).resolve("teacher-sampled.csv");
        return !Files.exists(full) && Files.exists(partial) ? partial : full;
    }

    /** Boxes by {@code clip:frame}; frames the teacher saw without a person map to an empty list, frames it did not see are absent. */
    public static Map<String, List<float[]>> read(Path data, String clip) throws IOException {
        Path csv = file(data, clip);
        if (!Files.exists(csv)) {
            throw new java.nio.file.NoSuchFileException(csv.toString(), null, "label the clip first: winnow teacher label --frames "
                    + data.resolve(clip).resolve("native") + " --boxes --out " + csv);
        }
        Map<String, List<float[]>> out = new HashMap<>();
        float sx = Float.NaN, sy = Float.NaN;
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", 4);
            if (f.length < 3) continue;
            String name = f[0];
            int frame = Integer.parseInt(name.substring(0, name.indexOf('.')));
            if (Float.isNaN(sx)) {
                int[] size = imageSize(data.resolve(clip).resolve("native").resolve(name));
                sx = (float) DetectorNet.IN_W / size[0];
                sy = (float) DetectorNet.IN_H / size[1];
            }
            List<float[]> boxes = new ArrayList<>();
            if (f.length == 4 && !f[3].isBlank()) {
                for (String b : f[3].split(";")) {
                    String[] v = b.split(":");
                    float x1 = Float.parseFloat(v[0]) * sx, y1 = Float.parseFloat(v[1]) * sy;
                    float x2 = Float.parseFloat(v[2]) * sx, y2 = Float.parseFloat(v[3]) * sy;
                    boxes.add(new float[] {x1, y1, x2 - x1, y2 - y1, Float.parseFloat(v[4])});
                }
            }
            out.put(clip + ":" + frame, boxes);
        }
        return out;
    }

    /** Width and height from an image file's header, without decoding it. */
    static int[] imageSize(Path image) throws IOException {
        try (InputStream in = Files.newInputStream(image); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            var readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) throw new IOException(image + ": not an image");
            ImageReader r = readers.next();
            try {
                r.setInput(iis);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        }
    }

    /**
     * The empty background of a clip: the per-pixel median of every {@code step}-th frame in
     * [0, {@code end}), the plate people are cut out against and pasted onto.
     */
    public static byte[] medianPlate(DetectorData dd, String clip, int end, int step) throws IOException {
        List<float[]> frames = new ArrayList<>();
        for (int f = 0; f < end; f += step) frames.add(dd.load(clip, f));
        int n = frames.get(0).length;
        byte[] plate = new byte[n];
        float[] column = new float[frames.size()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < column.length; k++) column[k] = frames.get(k)[i];
            java.util.Arrays.sort(column);
            plate[i] = (byte) Math.round(column[column.length / 2] * 255);
        }
        return plate;
    }
}
