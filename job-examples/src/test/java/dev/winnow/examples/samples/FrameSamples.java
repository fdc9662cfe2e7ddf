package dev.winnow.examples.samples;

import dev.winnow.tools.detect.DetectorData;
import dev.winnow.tools.detect.TeacherLabels;
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
import java.util.Random;
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
 *   <li>{@code plaza/}: an NVR camera. 30 empty frames, the 64 hand-counted held-out vtest frames
 *       (model-tools/detector/holdout-labels.csv), 30 empty frames. "Empty" frames are the plate (the
 *       per-pixel median of vtest 0-635, every 2nd frame) with sensor noise and a slow gain drift, seed
 *       fixed: vtest has no frame without people.</li>
 *   <li>{@code garden/}: the first 30 frames of tree.avi: motion (leaves, light), no people.</li>
 *   <li>{@code labels.csv}: camera,seq,count for every plaza and garden frame (0 = nobody).</li>
 *   <li>{@code concourse/}: three cameras for stadium-staffing: vtest 0-599 in three stretches of 200,
 *       every 5th frame, and zones.properties.</li>
 * </ul>
 * Run by scripts/samples/frames.sh.
 */
public final class FrameSamples {
    static final int HOLDOUT_START = 636;

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path data = root.resolve("data/detector"), out = root.resolve("job-examples/samples/frames");
        DetectorData dd = new DetectorData(data);
        if (!Files.exists(dd.frame("vtest", 794)) || !Files.exists(dd.frame("tree", 29))) {
            throw new IOException("no decoded vtest/tree frames in " + data + ": run scripts/data/fetch-footage.sh");
        }
        byte[] plate = TeacherLabels.medianPlate(dd, "vtest", HOLDOUT_START, 2);
        Map<Integer, Integer> held = DetectorData.readCounts(root.resolve("model-tools/detector/holdout-labels.csv"));
        Random rng = new Random(11);
        List<String> labels = new ArrayList<>();
        Path plaza = fresh(out.resolve("plaza"));
        int seq = 0;
        for (int k = 0; k < 30; k++, seq++) { write(plaza, seq, empty(plate, k, 30, rng)); labels.add("plaza," + seq + ",0"); }
        for (Map.Entry<Integer, Integer> h : held.entrySet()) { write(plaza, seq, frame(dd, "vtest", h.getKey())); labels.add("plaza," + seq++ + "," + h.getValue()); }
        for (int k = 0; k < 30; k++, seq++) { write(plaza, seq, empty(plate, k + 30, 30, rng)); labels.add("plaza," + seq + ",0"); }
        Path garden = fresh(out.resolve("garden"));
        for (int k = 0; k < 30; k++) { write(garden, k, frame(dd, "tree", k)); labels.add("garden," + k + ",0"); }
        StringBuilder csv = new StringBuilder("# camera,seq,count: people counted by a person (plaza frames 30-93: model-tools/detector/holdout-labels.csv)\n");
        for (String l : labels) csv.append(l).append('\n');
        Files.writeString(out.resolve("labels.csv"), csv);
        String[][] cameras = {{"north-1", "0"}, {"north-2", "200"}, {"south-1", "400"}};
        for (String[] c : cameras) {
            Path d = fresh(out.resolve("concourse").resolve(c[0]));
            int start = Integer.parseInt(c[1]);
            for (int k = 0, f = start; f < start + 200; k++, f += 5) write(d, k, frame(dd, "vtest", f));
        }
        Files.writeString(out.resolve("concourse/zones.properties"), """
                # stadium-staffing sample: three concourse cameras in two zones
                window = PT5S
                overcrowded-after = PT2S
                camera.north-1 = concourse-north
                camera.north-2 = concourse-north
                camera.south-1 = concourse-south
                zone.concourse-north.capacity = 10
                zone.concourse-north.people-per-staff = 4
                zone.concourse-south.capacity = 5
                zone.concourse-south.people-per-staff = 3
                """);
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

    /** The plate under a gain drifting over {@code n} frames and Gaussian sensor noise (sigma 1.5 grey levels). */
    static byte[] empty(byte[] plate, int k, int n, Random rng) {
        double gain = 1.0 + 0.04 * Math.sin(2 * Math.PI * k / n);
        byte[] img = new byte[plate.length];
        for (int i = 0; i < plate.length; i++) {
            double v = (plate[i] & 0xff) * gain + rng.nextGaussian() * 1.5;
            img[i] = (byte) Math.max(0, Math.min(255, (int) v));
        }
        return img;
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
