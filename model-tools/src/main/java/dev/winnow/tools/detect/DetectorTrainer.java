package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Checkpoints;
import dev.winnow.tools.nn.Adam;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains the student on the cleaned teacher labels (knowledge distillation from HOG), then exports
 * the float and the int8 artifacts.
 *
 * <p>Training set: vtest frames 0..589 with their cleaned labels, tree.avi frames 0..35 and the
 * background plate (both without people); validation (thresholds): vtest 590..635. The held-out
 * stretch (636..794) is never read here. Mini-batches are split over worker threads, each with its
 * own tape and gradient buffers; Adam with a cosine learning-rate schedule; a fixed seed gives the
 * same shuffles, augmentations and initial weights.
 *
 * <pre>
 * java -cp winnow.jar dev.winnow.tools.detect.DetectorTrainer --data data/detector --epochs 14 --threads 2 \
 *      --out model-tools/detector/person-detector-int8.wnm --float-out data/detector/person-detector-float.wnm
 * </pre>
 */
public final class DetectorTrainer {
    static final int VAL_START = 590;

    /** Hard training frames: at least this many labelled people, or one whose feet are above this row (far away). */
    static final int CROWDED = 7, FAR_FOOT_ROW = 60;

    record Sample(String clip, int frame, byte[] pixels, List<float[]> boxes) {}

    static boolean hard(Sample s) {
        if (s.boxes().size() >= CROWDED) return true;
        for (float[] b : s.boxes()) if (b[1] + b[3] < FAR_FOOT_ROW) return true;
        return false;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Checkpoints.args(args, Set.of());
        Path data = Path.of(a.getOrDefault("data", "data/detector"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "14"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "8"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        float lr = Float.parseFloat(a.getOrDefault("lr", "0.004"));
        long seed = Long.parseLong(a.getOrDefault("seed", "7"));
        Path out = Path.of(a.getOrDefault("out", "model-tools/detector/person-detector-int8.wnm"));
        Path floatOut = Path.of(a.getOrDefault("float-out", "data/detector/person-detector-float.wnm"));
        Path paramsOut = Path.of(a.getOrDefault("params-out", "data/detector/student.params"));
        int limit = Integer.parseInt(a.getOrDefault("limit", "0"));
        int oversample = Integer.parseInt(a.getOrDefault("oversample", "1"));
        float zoom = Float.parseFloat(a.getOrDefault("zoom", "0"));
        Path valCountsPath = Path.of(a.getOrDefault("val-counts", "model-tools/detector/validation-counts.csv"));
        Map<Integer, Integer> valCounts = Files.exists(valCountsPath) ? DetectorData.readCounts(valCountsPath) : Map.of();
        for (int f : valCounts.keySet())
            if (f < VAL_START || f >= DetectorData.HOLDOUT_START) throw new IllegalArgumentException(valCountsPath + ": frame " + f + " is not a validation frame");

        DetectorData dd = new DetectorData(data);
        Map<String, List<float[]>> labels = DetectorData.readBoxes(data.resolve("labels.csv"));
        List<Sample> train = new ArrayList<>(), val = new ArrayList<>();
        for (int f = 0; f < DetectorData.HOLDOUT_START; f++) {
            Sample s = new Sample("vtest", f, bytes(dd.load("vtest", f)), labels.getOrDefault("vtest:" + f, List.of()));
            (f < VAL_START ? train : val).add(s);
        }
        for (int f = 0; f < DetectorData.TREE_TRAIN_END; f++) train.add(new Sample("tree", f, bytes(dd.load("tree", f)), List.of()));
        byte[] plate = bytes(DetectorData.readPgm(data.resolve("plate.pgm")));
        for (int k = 0; k < 24; k++) train.add(new Sample("plate", k, plate, List.of()));
        if (limit > 0) train = train.subList(0, Math.min(limit, train.size()));
        if (oversample > 1) { // crowded frames and frames with small far people are the rare, hard ones
            List<Sample> extra = new ArrayList<>();
            for (Sample s : train) if (hard(s)) for (int k = 1; k < oversample; k++) extra.add(s);
            System.out.printf(Locale.ROOT, "oversampling %d hard frames (>= %d people, or one with feet above row %d) %dx%n",
                    extra.size() / (oversample - 1), CROWDED, FAR_FOOT_ROW, oversample);
            train.addAll(extra);
        }
        System.out.printf(Locale.ROOT, "training on %d frames (%d with people), validating on %d; %d epochs, batch %d, %d threads%n",
                train.size(), train.stream().filter(s -> !s.boxes().isEmpty()).count(), val.size(), epochs, batch, threads);

        DetectorNet net = new DetectorNet(DetectorNet.Config.standard(), threads, seed);
        System.out.printf(Locale.ROOT, "student: %,d parameters%n", net.parameterCount());
        Adam adam = new Adam(net.params());
        Random rnd = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int stepsPerEpoch = (train.size() + batch - 1) / batch, total = epochs * stepsPerEpoch, step = 0;
        long t0 = System.nanoTime();
        if (a.containsKey("export-only")) {
            Checkpoints.load(net.params(), paramsOut);
            epochs = 0;
        }
        for (int e = 0; e < epochs; e++) {
            List<Sample> order = new ArrayList<>(train);
            Collections.shuffle(order, rnd);
            double sl = 0, bl = 0;
            for (int s = 0; s < order.size(); s += batch) {
                List<Sample> b = order.subList(s, Math.min(order.size(), s + batch));
                long[] seeds = new long[b.size()];
                for (int i = 0; i < seeds.length; i++) seeds[i] = rnd.nextLong();
                List<Future<double[]>> fs = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    final int worker = w;
                    fs.add(pool.submit(() -> {
                        double[] acc = new double[2];
                        for (int i = worker; i < b.size(); i += threads) {
                            double[] l = trainOne(net, b.get(i), seeds[i], worker, zoom);
                            acc[0] += l[0];
                            acc[1] += l[1];
                        }
                        return acc;
                    }));
                }
                for (Future<double[]> f : fs) {
                    double[] l = f.get();
                    sl += l[0];
                    bl += l[1];
                }
                float progress = (float) step / total;
                float rate = step < 30 ? lr * (step + 1) / 30f : lr * (0.03f + 0.97f * 0.5f * (1f + (float) Math.cos(Math.PI * progress)));
                adam.step(rate, 1f / b.size(), 1e-4f);
                step++;
            }
            double el = (System.nanoTime() - t0) / 1e9;
            double[] vm = validate(net, val, 0.5f, 0.3f, valCounts);
            System.out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f (score %.4f, box %.4f)  val count MAE at 0.5: %.3f vs labels, %.3f vs hand counts  %.0f s, ETA %.0f s%n",
                    e + 1, epochs, (sl + bl) / order.size(), sl / order.size(), bl / order.size(), vm[0], vm[1], el, el / (e + 1) * (epochs - e - 1));
        }
        pool.shutdown();
        if (epochs > 0) Checkpoints.save(net.params(), paramsOut);

        // score and NMS IoU thresholds from the validation frames: lowest count MAE against the hand counts
        // (validation-counts.csv), ties broken by the count MAE against the cleaned labels on all validation frames
        float best = 0.5f, bestIou = 0.3f;
        double bestMae = Double.MAX_VALUE, bestHand = Double.MAX_VALUE;
        for (float iou : new float[] {0.2f, 0.3f, 0.4f, 0.5f, 0.6f}) {
            for (int ti = 0; ti <= 14; ti++) {
                float th = 0.15f + 0.05f * ti;
                double[] m = validate(net, val, th, iou, valCounts);
                if (m[1] < bestHand - 1e-9 || (m[1] < bestHand + 1e-9 && m[0] < bestMae - 1e-9)) {
                    bestHand = m[1];
                    bestMae = m[0];
                    best = th;
                    bestIou = iou;
                }
            }
        }
        System.out.printf(Locale.ROOT, "score threshold %.2f, NMS IoU %.1f (validation count MAE %.3f against %d hand counts, %.3f against the cleaned labels)%n",
                best, bestIou, bestHand, valCounts.size(), bestMae);
        DetectorExport.Decode decode = new DetectorExport.Decode(best, bestIou);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("tool", "winnow DetectorTrainer");
        prov.put("dataset", "opencv-doc vtest.avi frames 0-589 (labels: OpenCV HOG people detector, cleaned by background subtraction and temporal consistency), tree.avi 0-35, background plate");
        prov.put("seed", seed);
        prov.put("command", "scripts/detector/train.sh");
        Map<String, Double> metrics = valCounts.isEmpty() ? Map.of("val_count_mae", bestMae) : Map.of("val_count_mae", bestMae, "val_hand_count_mae", bestHand);
        Files.createDirectories(floatOut.toAbsolutePath().getParent());
        Files.write(floatOut, DetectorExport.export(net, decode, null, prov, metrics));
        float[][] ranges = calibrate(net, train, 48, seed);
        Files.createDirectories(out.toAbsolutePath().getParent());
        byte[] q = DetectorExport.export(net, decode, ranges, prov, metrics);
        Files.write(out, q);
        System.out.printf(Locale.ROOT, "wrote %s (%,d B) and %s (%,d B)%n", floatOut, Files.size(floatOut), out, q.length);
    }

    static byte[] bytes(float[] img) {
        byte[] b = new byte[img.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Math.round(img[i] * 255f);
        return b;
    }

    static float[] floats(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) f[i] = (b[i] & 0xff) / 255f;
        return f;
    }

    /**
     * One augmented example: flip, gain, offset and sensor noise (stronger on the plate samples); with
     * {@code zoom} > 0, half the frames are shrunk by a factor in [1 − zoom, 1] and placed at a random
     * offset (the border pixels extended around them), so people appear smaller, as far people do.
     */
    static double[] trainOne(DetectorNet net, Sample s, long seed, int worker, float zoom) {
        List<float[]> boxes = new ArrayList<>();
        float[] img = augment(s, seed, zoom, boxes);
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        Tape t = new Tape(worker, true);
        DetectorNet.Output o = net.forward(t, new Tensor(H, W, 1, img));
        double[] l = DetectionLoss.apply(o.scores(), o.boxes(), boxes, net.cfg.anchorW(), net.cfg.anchorH(), net.cfg.subX());
        t.backward();
        return l;
    }

    /** The augmented image of {@link #trainOne}; its boxes are added to {@code boxes}. */
    static float[] augment(Sample s, long seed, float zoom, List<float[]> boxes) {
        Random r = new Random(seed);
        boolean flip = r.nextBoolean();
        float gain = 0.75f + 0.5f * r.nextFloat(), off = (r.nextFloat() - 0.5f) * 0.16f;
        float noise = (s.clip().equals("plate") ? 0.02f : 0.012f) * r.nextFloat();
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        float sc = 1f, ox = 0f, oy = 0f;
        if (zoom > 0 && r.nextBoolean()) {
            sc = 1f - zoom * r.nextFloat();
            ox = (1f - sc) * W * r.nextFloat();
            oy = (1f - sc) * H * r.nextFloat();
        }
        float[] img = new float[W * H];
        byte[] px = s.pixels();
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                float v;
                if (sc == 1f) {
                    v = (px[y * W + x] & 0xff) / 255f;
                } else { // bilinear sample of the source at ((x − ox)/sc, (y − oy)/sc), clamped to the frame
                    float sx = Math.min(W - 1f, Math.max(0f, (x + 0.5f - ox) / sc - 0.5f)), sy = Math.min(H - 1f, Math.max(0f, (y + 0.5f - oy) / sc - 0.5f));
                    int x0 = (int) sx, y0 = (int) sy, x1 = Math.min(W - 1, x0 + 1), y1 = Math.min(H - 1, y0 + 1);
                    float fx = sx - x0, fy = sy - y0;
                    v = ((px[y0 * W + x0] & 0xff) * (1 - fx) * (1 - fy) + (px[y0 * W + x1] & 0xff) * fx * (1 - fy)
                            + (px[y1 * W + x0] & 0xff) * (1 - fx) * fy + (px[y1 * W + x1] & 0xff) * fx * fy) / 255f;
                }
                v = v * gain + off;
                if (noise > 0) v += (float) r.nextGaussian() * noise;
                img[y * W + (flip ? W - 1 - x : x)] = Math.min(1f, Math.max(0f, v));
            }
        for (float[] b0 : s.boxes()) {
            float[] b = {b0[0] * sc + ox, b0[1] * sc + oy, b0[2] * sc, b0[3] * sc};
            boxes.add(flip ? new float[] {W - b[0] - b[2], b[1], b[2], b[3]} : b);
        }
        return img;
    }

    /**
     * Count MAE on the validation frames at a score threshold (decoded as the runtime does): against the
     * cleaned labels on every validation frame, and against the hand counts on the frames that have one (0 when none).
     */
    static double[] validate(DetectorNet net, List<Sample> val, float threshold, float iou, Map<Integer, Integer> handCounts) {
        double err = 0, hand = 0;
        int nh = 0;
        for (Sample s : val) {
            DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, floats(s.pixels())));
            int n = StudentDecoder.decode(net.cfg, o.scores().data, o.boxes().data, threshold, iou).size();
            err += Math.abs(n - s.boxes().size());
            Integer h = handCounts.get(s.frame());
            if (h != null) {
                hand += Math.abs(n - h);
                nh++;
            }
        }
        return new double[] {err / Math.max(1, val.size()), hand / Math.max(1, nh)};
    }

    /** Activation ranges (min, max) over calibration frames, in {@link DetectorExport#activationNames} order. */
    static float[][] calibrate(DetectorNet net, List<Sample> train, int n, long seed) {
        List<Sample> pick = new ArrayList<>(train);
        Collections.shuffle(pick, new Random(seed + 1));
        float[][] r = null;
        for (Sample s : pick.subList(0, Math.min(n, pick.size()))) {
            List<Tensor> acts = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, floats(s.pixels()))).activations();
            if (r == null) {
                r = new float[acts.size()][2];
                for (float[] m : r) {
                    m[0] = Float.MAX_VALUE;
                    m[1] = -Float.MAX_VALUE;
                }
            }
            for (int i = 0; i < acts.size(); i++)
                for (float v : acts.get(i).data) {
                    r[i][0] = Math.min(r[i][0], v);
                    r[i][1] = Math.max(r[i][1], v);
                }
        }
        return r;
    }



}
