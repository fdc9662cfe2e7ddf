package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Checkpoints;
import dev.winnow.runtime.Model;
import java.util.Set;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The committed evaluation: teacher (OpenCV HOG) and student (float and int8 artifacts) on the
 * hand-labelled held-out frames of vtest (people in every frame) and on frames without people
 * (tree.avi 36..52, never trained on, and the empty-scene plate under photometric changes).
 * Prints presence precision/recall, count MAE, artifact size, peak arena RAM and frames/s per core,
 * and writes an HTML page with held-out frames and the student's boxes.
 *
 * <pre>scripts/detector/evaluate.sh</pre>
 */
public final class DetectorEval {
    record Frame(String clip, int index, float[] pixels, int truth) {}

    record Result(String name, double precision, double recall, double maePos, double maeAll, long bytes, long ram, double fps, List<Integer> counts) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Checkpoints.args(args, Set.of());
        Path data = Path.of(a.getOrDefault("data", "data/detector"));
        Path labels = Path.of(a.getOrDefault("labels", "model-tools/detector/holdout-labels.csv"));
        Path int8 = Path.of(a.getOrDefault("int8", "model-tools/detector/person-detector-int8.wnm"));
        Path flt = Path.of(a.getOrDefault("float", "model-tools/detector/person-detector-float.wnm"));
        Path html = Path.of(a.getOrDefault("html", "reports/detector.html"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "5"));

        DetectorData dd = new DetectorData(data);
        List<Frame> frames = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : DetectorData.readCounts(labels).entrySet()) {
            if (e.getKey() < DetectorData.HOLDOUT_START) throw new IllegalStateException("labelled frame " + e.getKey() + " is not held out");
            frames.add(new Frame("vtest", e.getKey(), dd.load("vtest", e.getKey()), e.getValue()));
        }
        int positives = frames.size();
        for (int f = DetectorData.TREE_TRAIN_END; f < DetectorData.TREE_EVAL_END; f++) frames.add(new Frame("tree", f, dd.load("tree", f), 0));
        for (int f = 0; Files.exists(dd.frame("neg", f)); f++) frames.add(new Frame("neg", f, dd.load("neg", f), 0));
        System.out.printf(Locale.ROOT, "evaluation frames: %d held-out vtest frames counted by hand (%d people), %d without people (tree.avi %d-%d, empty plate x%d)%n",
                positives, frames.stream().mapToInt(Frame::truth).sum(), frames.size() - positives,
                DetectorData.TREE_TRAIN_END, DetectorData.TREE_EVAL_END - 1, frames.size() - positives - (DetectorData.TREE_EVAL_END - DetectorData.TREE_TRAIN_END));

        Map<String, List<float[]>> teacher = new LinkedHashMap<>(DetectorData.readBoxes(data.resolve("teacher.csv")));
        if (Files.exists(data.resolve("teacher-neg.csv"))) teacher.putAll(DetectorData.readBoxes(data.resolve("teacher-neg.csv")));
        List<Integer> tc = new ArrayList<>();
        for (Frame f : frames) tc.add(teacher.getOrDefault(f.clip() + ":" + f.index(), List.of()).size());
        double teacherFps = teacherFps(data);
        List<Result> results = new ArrayList<>();
        results.add(score("teacher: OpenCV HOG, 1.6x upscale", frames, tc, 0, 0, teacherFps));
        Map<String, List<List<float[]>>> boxes = new LinkedHashMap<>();
        for (Path p : new Path[] {flt, int8}) {
            if (!Files.exists(p)) {
                System.out.println("(no artifact at " + p + ")");
                continue;
            }
            Model m = Model.load(p);
            PersonDetector d = new PersonDetector(m);
            List<Integer> sc = new ArrayList<>();
            List<List<float[]>> bx = new ArrayList<>();
            for (Frame f : frames) {
                d.run(f.pixels());
                sc.add(d.count());
                bx.add(d.boxes());
            }
            boxes.put(m.name(), bx);
            double fps = throughput(d, frames, seconds);
            results.add(score("student " + m.name().replace("person-detector-", ""), frames, sc, Files.size(p), m.report().arenaBytes(), fps));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %9s %9s %10s %10s %10s %10s %10s%n", "model", "precision", "recall", "count MAE", "MAE all", "size KB", "RAM KB", "frames/s");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-36s %9.3f %9.3f %10.3f %10.3f %10s %10s %10.1f%n", r.name(), r.precision(), r.recall(), r.maePos(), r.maeAll(),
                    r.bytes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.bytes() / 1024.0), r.ram() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.ram() / 1024.0), r.fps());
        }
        System.out.println("presence = at least one detection; precision and recall over all evaluation frames; count MAE on the "
                + positives + " hand-counted frames, MAE all includes the frames without people; frames/s on one thread "
                + "(teacher: HOG in python3-opencv, one thread, timed by label-teacher.py)");
        if (a.containsKey("per-frame")) {
            StringBuilder sb = new StringBuilder("per frame (frame: truth teacher");
            for (Result r : results.subList(1, results.size())) sb.append(' ').append(r.name().replace("student ", ""));
            sb.append("):");
            for (int i = 0; i < positives; i++) {
                sb.append(i % 8 == 0 ? "\n " : "  ").append(frames.get(i).index()).append(": ").append(frames.get(i).truth());
                for (Result r : results) sb.append(' ').append(r.counts().get(i));
            }
            System.out.println(sb);
        }
        if (!boxes.isEmpty()) writeHtml(html, frames, positives, boxes, teacher, results);
    }

    static Result score(String name, List<Frame> frames, List<Integer> counts, long bytes, long ram, double fps) {
        int tp = 0, fp = 0, fn = 0, pos = 0;
        double errPos = 0, errAll = 0;
        for (int i = 0; i < frames.size(); i++) {
            int truth = frames.get(i).truth(), c = counts.get(i);
            boolean has = c > 0;
            if (truth > 0) {
                pos++;
                errPos += Math.abs(c - truth);
                if (has) tp++;
                else fn++;
            } else if (has) fp++;
            errAll += Math.abs(c - truth);
        }
        return new Result(name, tp + fp == 0 ? 0 : (double) tp / (tp + fp), (double) tp / Math.max(1, tp + fn), errPos / Math.max(1, pos),
                errAll / frames.size(), bytes, ram, fps, counts);
    }

    /** Frames per second on this thread, cycling through the evaluation frames after a warm-up. */
    static double throughput(PersonDetector d, List<Frame> frames, double seconds) {
        for (int i = 0; i < 100; i++) d.run(frames.get(i % frames.size()).pixels());
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end) {
            d.run(frames.get(n % frames.size()).pixels());
            n++;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double teacherFps(Path data) throws java.io.IOException {
        Path t = data.resolve("teacher-holdout-timing.txt");
        if (!Files.exists(t)) t = data.resolve("teacher-timing.txt");
        if (!Files.exists(t)) return 0;
        for (String kv : Files.readString(t).trim().split("\\s+")) if (kv.startsWith("fps=")) return Double.parseDouble(kv.substring(4));
        return 0;
    }

    static void writeHtml(Path html, List<Frame> frames, int positives, Map<String, List<List<float[]>>> boxes,
                          Map<String, List<float[]>> teacher, List<Result> results) throws Exception {
        String model = boxes.containsKey("person-detector-int8") ? "person-detector-int8" : boxes.keySet().iterator().next();
        List<List<float[]>> bx = boxes.get(model);
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=utf-8><title>Winnow person detector</title>"
                + "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:right}img{margin:4px}</style></head><body>");
        sb.append("<h1>Person detector on held-out vtest frames</h1><table><tr><th>model</th><th>precision</th><th>recall</th><th>count MAE</th><th>size KB</th><th>RAM KB</th><th>frames/s</th></tr>");
        for (Result r : results)
            sb.append(String.format(Locale.ROOT, "<tr><td style=text-align:left>%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%s</td><td>%s</td><td>%.1f</td></tr>",
                    r.name(), r.precision(), r.recall(), r.maePos(), r.bytes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.bytes() / 1024.0),
                    r.ram() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.ram() / 1024.0), r.fps()));
        sb.append("</table><p>Green: the student's boxes (" + model + ", run by the Winnow runtime at 320x240). Red, thin: the teacher (HOG). "
                + "Caption: frame, people counted by hand, student count, teacher count.</p>");
        int[] pick = {0, positives / 5, 2 * positives / 5, 3 * positives / 5, 4 * positives / 5, positives - 1, positives, frames.size() - 1};
        for (int i : pick) {
            Frame f = frames.get(i);
            BufferedImage img = render(f, bx.get(i), teacher.getOrDefault(f.clip() + ":" + f.index(), List.of()));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            sb.append("<figure style=display:inline-block><img src='data:image/png;base64,").append(Base64.getEncoder().encodeToString(png.toByteArray()))
                    .append("'><figcaption>").append(f.clip()).append(' ').append(f.index()).append(": truth ").append(f.truth())
                    .append(", student ").append(bx.get(i).size()).append(", teacher ").append(teacher.getOrDefault(f.clip() + ":" + f.index(), List.of()).size())
                    .append("</figcaption></figure>");
        }
        sb.append("</body></html>");
        Files.createDirectories(html.toAbsolutePath().getParent());
        Files.writeString(html, sb.toString());
        System.out.println("wrote " + html);
    }

    static BufferedImage render(Frame f, List<float[]> student, List<float[]> teacher) {
        int s = 2, W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        BufferedImage img = new BufferedImage(W * s, H * s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H * s; y++)
            for (int x = 0; x < W * s; x++) {
                int v = Math.round(f.pixels()[(y / s) * W + x / s] * 255f);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(255, 60, 60));
        g.setStroke(new BasicStroke(1f));
        for (float[] b : teacher) g.drawRect(Math.round(b[0] * s), Math.round(b[1] * s), Math.round(b[2] * s), Math.round(b[3] * s));
        g.setColor(new Color(40, 230, 40));
        g.setStroke(new BasicStroke(2.5f));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (float[] b : student) {
            g.drawRect(Math.round(b[0] * s), Math.round(b[1] * s), Math.round(b[2] * s), Math.round(b[3] * s));
            g.drawString(String.format(Locale.ROOT, "%.2f", b[4]), Math.round(b[0] * s), Math.round(b[1] * s) - 3);
        }
        g.dispose();
        return img;
    }
}
