package dev.winnow.examples.cascade;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * One clip of the detector's footage as the evaluation reads it: {@code <data>/<name>/native/NNNN.png}
 * (NNNN = 0-based frame index in the source video), optionally a stretch {@code first-last} of it, at
 * the source's frame rate, with the cached teacher labels {@code <data>/<name>/teacher.csv} when present.
 * Written {@code name[:first-last]@fps} on the command line, e.g. {@code vtest:636-794@10}.
 */
public record Clip(String name, int first, int last, double fps) {
    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9._-]+)(?::(\\d+)-(\\d+))?@([0-9.]+)");

    public static Clip parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) throw new IllegalArgumentException("a clip is name[:first-last]@fps (e.g. vtest:636-794@10), not '" + spec + "'");
        double fps = Double.parseDouble(m.group(4));
        if (!(fps > 0)) throw new IllegalArgumentException("clip " + spec + ": fps must be positive");
        int first = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int last = m.group(3) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(3));
        if (first > last) throw new IllegalArgumentException("clip " + spec + ": first frame after last");
        return new Clip(m.group(1), first, last, fps);
    }

    /** The label used in tables: the name, and the stretch when there is one. */
    public String label() {
        return last == Integer.MAX_VALUE && first == 0 ? name : name + " " + first + "-" + last;
    }

    /** Frames per one-second window: the frame rate, rounded. */
    public int windowFrames() {
        return Math.max(1, (int) Math.round(fps));
    }

    /** The clip's frame files in frame order, at most {@code limit} of them. */
    public List<Path> files(Path data, int limit) throws IOException {
        Path dir = data.resolve(name).resolve("native");
        if (!Files.isDirectory(dir)) throw new IOException("no frames for clip " + name + ": " + dir + " is missing (scripts/detector/prepare-data.sh makes it)");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                int k = index(p);
                if (k >= first && k <= last) out.add(p);
            }
        }
        if (out.isEmpty()) throw new IOException("clip " + label() + ": no frame NNNN.png in " + dir + " within " + first + "-" + last);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static int index(Path p) {
        String f = p.getFileName().toString();
        if (!f.matches("\\d+\\.png")) return -1;
        return Integer.parseInt(f.substring(0, f.length() - 4));
    }

    /** Decodes a PNG frame to the RGB24 frame a camera source would emit. */
    public Frame frame(Path png, int seq) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) throw new IOException("not a readable image: " + png);
        int w = img.getWidth(), h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        dev.winnow.flink.frames.RgbPixels.toRgb24(img, rgb, new int[w]);
        return new Frame(name, seq, Math.round(seq * 1000 / fps), FrameEncoding.RGB24, w, h, rgb);
    }

    /** People per frame file from {@code teacher.csv} ({@code file,count,...}); empty when there is none. */
    public Map<String, Integer> cachedTeacherCounts(Path data) throws IOException {
        Path csv = data.resolve(name).resolve("teacher.csv");
        Map<String, Integer> out = new HashMap<>();
        if (!Files.isRegularFile(csv)) return out;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] f = line.split(",", -1);
            if (f.length < 2 || !f[1].matches("\\d+")) continue;
            out.put(f[0], Integer.parseInt(f[1]));
        }
        return out;
    }
}
