package dev.winnow.tools.detect;

import dev.winnow.tools.nn.Checkpoints;
import dev.winnow.runtime.quant.QuantParams;
import dev.winnow.tools.nn.FilterRounding;
import dev.winnow.tools.nn.OptimiserOptions;
import dev.winnow.tools.nn.Tape;
import dev.winnow.tools.nn.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the student on the CenterNet teacher's labels (knowledge distillation), then exports the
 * float and the int8 artifacts; {@code winnow detector train} ({@link DetectorTrainCommand}) runs it.
 *
 * <p>Training set (model-tools/detector/training-sources.csv, role train): vtest frames 0..589,
 * tree.avi 0..35 and vtest's background plate, and every frame of the other training clips: people
 * where the teacher boxed them, hard negatives where it saw nobody. Copy-paste adds people: vtest's
 * cutouts beside others and as crowds on the plate ({@code --paste}, {@code --synthetic}), and vtest's
 * cutouts and other cameras' teacher-box crops at any size on those cameras' people-free frames
 * ({@code --pasted}). Validation (thresholds): vtest 590..635. vtest 636..794 and the held-out videos
 * are never read here. Every frame is read as the Flink frame operator converts it ({@link DetectorData}).
 * Mini-batches are split over worker threads, each with its own tape and gradient buffers; Adam with a
 * cosine learning-rate schedule; a fixed seed gives the same shuffles, augmentations and initial weights.
 */
public final class DetectorTrainer {
    static final int VAL_START = 590;
    /** Frames left out of both training and validation on each side of a carved validation stretch. */
    static final int GUARD = 5;

    static int[] range(String r) {
        String[] p = r.split("-");
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
    }

    /** Hard training frames: at least this many labelled people, or one whose feet are above this row (far away). */
    static final int CROWDED = 7, FAR_FOOT_ROW = 60;

    record Sample(String clip, int frame, byte[] pixels, List<float[]> boxes) {}

    /** The clip name of a synthetic scene: the plate, with people pasted in when it is drawn. */
    static final String SYNTHETIC = "synthetic";
    /** The clip name of a scene of people pasted anywhere, at any size, on another camera's people-free frame. */
    static final String PASTED = "pasted";
    /** The clip name of a scene of one animal or thing (--paste-objects) pasted large on another camera's people-free frame. */
    static final String OBJECT_SCENE = "object-scene";

    static boolean hard(Sample s) {
        if (s.boxes().size() >= CROWDED) return true;
        for (float[] b : s.boxes()) if (b[1] + b[3] < FAR_FOOT_ROW) return true;
        return false;
    }


    /** The frames of one training run: training (with repeats, plate samples and scenes added as it goes), validation, the plate, the label source. */
    record TrainingFrames(List<Sample> train, List<Sample> val, List<Sample> presenceVal, byte[] plate, String labelSource) {}

    /** The chosen decode settings with their validation count MAEs against the cleaned labels and the hand counts. */
    record Selection(DetectorExport.Decode decode, double labelMae, double handMae) {}

    /**
     * Trains and exports with the command's options: reads the frames, trains (or loads the parameters with
     * --export-only), calibrates the int8 ranges, chooses the score threshold and suppression on the
     * validation frames, and writes the float and int8 artifacts.
     */
    static void train(DetectorTrainCommand o) throws Exception {
        // --enlarge E: a third of the camera frames zoomed in by up to E times, so vtest's 25-60 pixel pedestrians
        // also appear as the 100-240 pixel people of a doorway, a schoolyard or a webcam
        if (o.enlarge != 0f && o.enlarge < 1.2f) throw new IllegalArgumentException("--enlarge is 0 (off) or a largest factor of at least 1.2, not " + o.enlarge);
        int[] carve = carve(o);
        Map<Integer, Integer> valCounts = validationCounts(o, carve);
        DetectorNet.Config cfg = netConfig(o);
        TrainingFrames frames = readFrames(o, carve);
        List<Sample> train = frames.train(), val = frames.val();
        CopyPaste paste = addScenes(o, train, frames.plate());
        oversampleHard(train, o.oversample);
        System.out.printf(Locale.ROOT, "training on %d frames (%d with people), validating on %d; %d epochs, batch %d, %d threads%n",
                train.size(), train.stream().filter(s -> !s.boxes().isEmpty()).count(), val.size(), o.optimiser.epochs, o.optimiser.batch, o.optimiser.threads);

        DetectorNet net = new DetectorNet(cfg, o.optimiser.threads, o.optimiser.seed, o.presenceHidden);
        System.out.printf(Locale.ROOT, "student: %,d parameters, %dx%d anchors per cell, %d MBConv blocks (expansion %d)%n", net.parameterCount(), cfg.subX(), cfg.subY(), cfg.blocks(), cfg.expansion());
        // --init P: start from these weights (fine-tuning), instead of the seeded initialisation
        if (o.init != null) loadInit(net, o.init);
        if (o.initArtifact != null) loadArtifact(net, o.initArtifact);
        List<Sample> real = train.stream().filter(s -> !scene(s)).toList();
        boolean qat = o.qat == 1;
        if (qat && o.init == null && o.initArtifact == null) throw new IllegalArgumentException("--qat 1 fine-tunes trained weights: give them with --init");
        float[][] qatRanges = qat ? startQuantizationAware(net, real, o) : null;
        if (o.exportOnly) {
            Checkpoints.load(net.params(), o.paramsOut);
        } else {
            runTraining(net, frames, paste, qat ? new FilterRounding(net.convFilters()) : null, valCounts, o);
            if (o.optimiser.epochs > 0) Checkpoints.save(net.params(), o.paramsOut);
        }

        // --calibrate N: training frames whose activation ranges set the int8 scales (min/max, as TensorFlow Lite's converter)
        net.quantizeActivations(null);
        float[][] ranges = qat ? qatRanges : calibrate(net, real, o.calibrate, o.optimiser.seed);
        if (!qat) floorScores(net, ranges, o);
        Map<String, float[]> correction = biasCorrection(net, ranges, real, o);
        // on the float head (default, as the shipped model was chosen) or, with --select-on int8, on the int8 head (what
        // ships): the int8 graph with its dequantized score and box tensors as extra outputs, decoded here at every setting
        boolean onInt8 = o.selectOn.equals("int8");
        List<float[][]> heads = validationHeads(net, val, onInt8 ? ranges : null, correction, o.calibrate);
        Selection chosen = chooseDecode(net.cfg, val, heads, valCounts, o.nms, onInt8 ? "int8" : "float");
        printCounts(net.cfg, val, heads, valCounts, chosen.decode());
        if (net.hasPresence()) {
            List<Sample> gateFrames = new ArrayList<>(val);
            gateFrames.addAll(frames.presenceVal());
            DetectorExport.Decode d = chosen.decode();
            float[] gate = PresenceSelection.choose(net, gateFrames, onInt8 ? ranges : null, correction, d, presenceGate(o.presenceGate));
            chosen = new Selection(d.withPresence(gate[0], gate[1]), chosen.labelMae(), chosen.handMae());
        }
        writeArtifacts(o, net, chosen, ranges, correction, provenance(o, frames.labelSource()), !valCounts.isEmpty());
    }

    /**
     * --init P: the whole network's parameters, or, into a network with a presence head, a checkpoint of one without
     * (the backbone and anchor heads; the presence head keeps its seeded initialisation).
     */
    private static void loadInit(DetectorNet net, Path init) throws java.io.IOException {
        long floats = Files.size(init) / 4, all = 0, backbone = 0;
        for (dev.winnow.tools.nn.Param p : net.params()) all += p.size();
        for (dev.winnow.tools.nn.Param p : net.backboneParams()) backbone += p.size();
        if (floats == all) Checkpoints.load(net.params(), init);
        else if (floats == backbone && net.hasPresence()) {
            Checkpoints.load(net.backboneParams(), init);
            System.out.printf(Locale.ROOT, "--init %s: backbone and anchor heads (%,d values); the presence head starts fresh%n", init, backbone);
        } else throw new IllegalArgumentException("--init " + init + " holds " + floats + " values; this network has " + all
                + (net.hasPresence() ? " (" + backbone + " without the presence head)" : ""));
    }

    /** --presence-gate: null for auto (chosen on the validation frames), else {threshold, veto} as given. */
    static float[] presenceGate(String g) {
        if (g.equals("auto")) return null;
        String[] p = g.split(",");
        if (p.length != 2) throw new IllegalArgumentException("--presence-gate is auto or THRESHOLD,VETO (e.g. 0.5,0), not " + g);
        float t = Float.parseFloat(p[0].trim()), v = Float.parseFloat(p[1].trim());
        new dev.winnow.runtime.kernel.PresenceGate(0.5f, t, v); // the runtime's own checks, before any frame is read
        return new float[] {t, v};
    }

    /**
     * --init-artifact A: the weights of a detector artifact ({@link DetectorImport}; int8 weights dequantized), which
     * must have this network's shape, but for a context branch or presence head that this network adds: those start
     * fresh (the context branch's lift at zero, so the network starts out computing what the artifact does). Tensors are
     * matched by name.
     */
    private static void loadArtifact(DetectorNet net, Path artifact) throws Exception {
        DetectorNet from = DetectorImport.read(dev.winnow.runtime.Model.load(artifact).artifact(), 1).net();
        boolean addsContext = from.context == null && net.context != null;
        if (!from.cfg.withContext(addsContext ? net.cfg.context() : from.cfg.context()).equals(net.cfg))
            throw new IllegalArgumentException("--init-artifact " + artifact + ": a " + from.cfg + " network, this one is " + net.cfg);
        List<dev.winnow.tools.nn.Param> src = from.hasPresence() && net.hasPresence() ? from.params() : from.backboneParams();
        Map<String, dev.winnow.tools.nn.Param> dst = new java.util.HashMap<>();
        for (dev.winnow.tools.nn.Param p : net.params()) dst.put(p.name, p);
        for (dev.winnow.tools.nn.Param p : src) {
            dev.winnow.tools.nn.Param d = dst.get(p.name);
            if (d == null || d.size() != p.size()) throw new IllegalArgumentException("--init-artifact " + artifact + ": " + p.name + " has another shape");
            System.arraycopy(p.w, 0, d.w, 0, p.size());
        }
        System.out.printf(Locale.ROOT, "--init-artifact %s: %d tensors%s%s%n", artifact, src.size(),
                net.hasPresence() && !from.hasPresence() ? "; the presence head starts fresh" : "", addsContext ? "; the context branch starts fresh" : "");
    }

    /**
     * --carve a-b: training frames a..b become validation frames too (with GUARD frames either side left out of
     * both, as neighbouring frames are near copies); {-1, -2} (no frame) without it.
     */
    private static int[] carve(DetectorTrainCommand o) {
        int[] carve = o.carve != null ? range(o.carve) : new int[] {-1, -2};
        if (carve[0] >= 0 && (carve[0] > carve[1] || carve[1] >= VAL_START)) throw new IllegalArgumentException("--carve must lie in the training frames 0-" + (VAL_START - 1));
        return carve;
    }

    /** The hand counts that choose the decode settings: --val-counts (when the file exists) and the carved stretch's --carve-counts. */
    private static Map<Integer, Integer> validationCounts(DetectorTrainCommand o, int[] carve) throws java.io.IOException {
        Map<Integer, Integer> valCounts = new java.util.TreeMap<>(Files.exists(o.valCounts) ? DetectorData.readCounts(o.valCounts) : Map.of());
        if (o.carveCounts != null) valCounts.putAll(DetectorData.readCounts(o.carveCounts));
        for (int f : valCounts.keySet())
            if ((f < VAL_START || f >= DetectorData.HOLDOUT_START) && (f < carve[0] || f > carve[1]))
                throw new IllegalArgumentException("hand count for frame " + f + ": not a validation frame");
        return valCounts;
    }

    /**
     * The standard student, with --anchors XxY (anchors per cell across and down), --blocks N --expansion E (the MBConv
     * stack) and --context K (the context branch's channels).
     */
    private static DetectorNet.Config netConfig(DetectorTrainCommand o) {
        DetectorNet.Config cfg = DetectorNet.Config.standard();
        if (o.anchors != null) {
            String[] xy = o.anchors.split("x");
            cfg = cfg.withAnchors(Integer.parseInt(xy[0]), Integer.parseInt(xy[1]));
        }
        if (o.blocks != null || o.expansion != null)
            cfg = cfg.withBlocks(o.blocks != null ? o.blocks : cfg.blocks(), o.expansion != null ? o.expansion : cfg.expansion());
        return cfg.withContext(o.context);
    }

    /** vtest (split into training and validation around the carve), tree, the other clips, and the plate; --limit applied last. */
    private static TrainingFrames readFrames(DetectorTrainCommand o, int[] carve) throws java.io.IOException {
        Path data = o.data.data;
        DetectorData dd = new DetectorData(data);
        // --labels teacher: the CenterNet teacher's boxes (data/detector/<clip>/teacher.csv); else a box CSV (clip,frame,x,y,w,h[,score])
        String labelSource = o.labels != null ? o.labels : data.resolve("labels.csv").toString();
        Map<String, List<float[]>> labels = labelSource.equals("teacher") ? TeacherLabels.read(data, "vtest")
                : DetectorData.readBoxes(Path.of(labelSource));
        List<Sample> train = new ArrayList<>(), val = new ArrayList<>(), presenceVal = new ArrayList<>();
        long tLoad = System.nanoTime();
        byte[][] vtest = loadAll(dd, "vtest", DetectorData.HOLDOUT_START);
        for (int f = 0; f < DetectorData.HOLDOUT_START; f++) {
            boolean carved = f >= carve[0] && f <= carve[1];
            if (!carved && f >= carve[0] - GUARD && f <= carve[1] + GUARD) continue;
            Sample s = new Sample("vtest", f, vtest[f], labels.getOrDefault("vtest:" + f, List.of()));
            (f < VAL_START && !carved ? train : val).add(s);
        }
        byte[][] tree = loadAll(dd, "tree", DetectorData.TREE_TRAIN_END);
        for (int f = 0; f < DetectorData.TREE_TRAIN_END; f++) train.add(new Sample("tree", f, tree[f], List.of()));
        for (String clip : o.clips) addClip(o, dd, clip, train, presenceVal);
        System.out.printf(Locale.ROOT, "frames read and converted as the Flink frame operator does in %.0f s%n", (System.nanoTime() - tLoad) / 1e9);
        Path platePath = data.resolve("plate.pgm");
        byte[] plate = Files.exists(platePath) ? bytes(DetectorData.readPgm(platePath)) : TeacherLabels.medianPlate(dd, "vtest", VAL_START, 2);
        for (int k = 0; k < 24; k++) train.add(new Sample("plate", k, plate, List.of()));
        if (o.limit > 0) train = new ArrayList<>(train.subList(0, Math.min(o.limit, train.size())));
        return new TrainingFrames(train, val, presenceVal, plate, labelSource);
    }

    /**
     * --clips a,b: a whole clip of another camera (model-tools/detector/training-sources.csv), every frame with the
     * teacher's boxes: people where it sees them, hard negatives where it sees none. --repeat-clips N: other cameras'
     * frames N times per epoch (there are far fewer of them than of vtest); --clip-weight C=N: that clip N times
     * instead (a photo set of a dozen pictures would hardly be seen).
     */
    private static void addClip(DetectorTrainCommand o, DetectorData dd, String clip, List<Sample> train, List<Sample> presenceVal) throws java.io.IOException {
        Map<String, List<float[]>> clipLabels = TeacherLabels.read(o.data.data, clip);
        int before = train.size(), n = 0;
        while (Files.exists(dd.frame(clip, n))) n++;
        byte[][] frames = loadAll(dd, clip, n);
        // --presence-val-every N (with a presence head): every Nth frame of a video clip (one without --clip-weight; a photo
        // set is too small to split) validates the presence gate instead of training
        int every = o.presenceHidden > 0 && !o.clipWeights.containsKey(clip) ? o.presenceValEvery : 0;
        for (int f = 0; f < n; f++) {
            List<float[]> boxes = clipLabels.get(clip + ":" + f);
            if (boxes == null) continue;
            Sample s = new Sample(clip, f, frames[f], boxes);
            if (every > 0 && f % every == every - 1) presenceVal.add(s);
            else train.add(s);
        }
        System.out.printf(Locale.ROOT, "clip %s: %d frames, %d with people%n", clip, train.size() - before,
                train.subList(before, train.size()).stream().filter(s -> !s.boxes().isEmpty()).count());
        List<Sample> added = List.copyOf(train.subList(before, train.size()));
        int times = o.clipWeights.getOrDefault(clip, o.repeatClips);
        if (times < 1) throw new IllegalArgumentException("--clip-weight " + clip + " must be at least 1");
        for (int k = 1; k < times; k++) train.addAll(added);
    }

    /**
     * --paste P: copy-paste augmentation on a fraction P of the frames with people (up to --paste-max pasted each);
     * --paste-far F: of the pastes placed on their own (not next to someone), the fraction F go far away, shrunk.
     * People are cut out against the vtest plate, so only vtest frames give cutouts. Adds the --synthetic and --pasted
     * scenes to {@code train}; the augmentation, or null without --paste.
     */
    private static CopyPaste addScenes(DetectorTrainCommand o, List<Sample> train, byte[] plate) {
        if (o.paste <= 0) {
            if (o.synthetic > 0) throw new IllegalArgumentException("--synthetic needs --paste");
            if (o.pasted > 0) throw new IllegalArgumentException("--pasted needs --paste");
            return null;
        }
        CopyPaste paste = new CopyPaste(CopyPaste.cut(train.stream().filter(s -> s.clip().equals("vtest")).toList(), plate), o.paste, o.pasteMax, o.pasteFar);
        System.out.printf(Locale.ROOT, "copy-paste: %d people standing alone to paste, into %.0f%% of the frames with people, up to %s each%n",
                paste.size(), 100 * o.paste, o.pasteMax);
        // --synthetic N: N scenes per epoch made of people pasted on the empty plate
        // --pasted N: N scenes per epoch of people (vtest's cutouts and other cameras' teacher-box crops) pasted at any
        // size on other cameras' frames where the teacher saw nobody; the synthetic crowds then stay on the plate
        int synthetic = o.synthetic, pastedScenes = o.pasted;
        // the scenes' backgrounds: the plate, and the frames of other cameras where the teacher saw nobody (every 4th)
        List<byte[]> backgrounds = new ArrayList<>(List.of(plate));
        if (pastedScenes == 0)
            for (Sample s : train) if (!s.clip().equals("vtest") && !s.clip().equals("tree") && s.boxes().isEmpty() && s.frame() % 4 == 0) backgrounds.add(s.pixels());
        for (int k = 0; k < synthetic; k++) train.add(new Sample(SYNTHETIC, k, backgrounds.get(k % backgrounds.size()), List.of()));
        if (pastedScenes > 0) {
            List<Sample> empty = train.stream().filter(s -> !s.clip().equals("vtest") && !s.clip().equals(SYNTHETIC) && s.boxes().isEmpty()).toList();
            paste.withCrops(CopyPaste.crops(train));
            Random pick = new Random(o.optimiser.seed + 2);
            for (int k = 0; k < pastedScenes; k++) train.add(new Sample(PASTED, k, empty.get(pick.nextInt(empty.size())).pixels(), List.of()));
            System.out.printf(Locale.ROOT, "pasted scenes: %d per epoch on %d people-free frames of other cameras, from %d people (%d teacher-box crops)%n",
                    pastedScenes, empty.size(), paste.size() + paste.crops(), paste.crops());
        }
        if (o.objectScenes > 0) addObjectScenes(o, train, paste);
        if (synthetic > 0 && backgrounds.size() > 1) System.out.printf(Locale.ROOT, "synthetic scenes on %d backgrounds (the plate and other cameras' empty frames)%n", backgrounds.size());
        if (synthetic > 0) System.out.printf(Locale.ROOT, "synthetic scenes: %d per epoch, %d-%d people pasted on the plate each%n", synthetic, CopyPaste.SCENE_MIN, CopyPaste.SCENE_MAX);
        return paste;
    }

    /** Whether a sample is a made-up scene (synthetic, pasted, object), not a camera's frame. */
    static boolean scene(Sample s) {
        return s.clip().equals(SYNTHETIC) || s.clip().equals(PASTED) || s.clip().equals(OBJECT_SCENE);
    }

    /**
     * --object-scenes N with --paste-objects a,b: N scenes per epoch of one picture of those clips (animals and things,
     * stamps laid on black) pasted large on another camera's people-free frame (not one of those clips'), half of them
     * with people pasted too ({@link CopyPaste#objectScene}).
     */
    private static void addObjectScenes(DetectorTrainCommand o, List<Sample> train, CopyPaste paste) {
        paste.withObjects(CopyPaste.objects(train, o.pasteObjects));
        if (paste.objects() == 0) throw new IllegalArgumentException("--paste-objects " + o.pasteObjects + ": no people-free frame of those clips");
        List<Sample> empty = train.stream().filter(s -> !s.clip().equals("vtest") && !scene(s) && !o.pasteObjects.contains(s.clip()) && s.boxes().isEmpty()).toList();
        Random pick = new Random(o.optimiser.seed + 3);
        for (int k = 0; k < o.objectScenes; k++) train.add(new Sample(OBJECT_SCENE, k, empty.get(pick.nextInt(empty.size())).pixels(), List.of()));
        System.out.printf(Locale.ROOT, "object scenes: %d per epoch, one of %d pictures of %s on %d people-free frames of other cameras%n",
                o.objectScenes, paste.objects(), String.join(",", o.pasteObjects), empty.size());
    }

    /** --oversample N: crowded frames and frames with small far people, the rare hard ones, N times per epoch. */
    private static void oversampleHard(List<Sample> train, int oversample) {
        if (oversample <= 1) return;
        List<Sample> extra = new ArrayList<>();
        for (Sample s : train) if (hard(s)) for (int k = 1; k < oversample; k++) extra.add(s);
        System.out.printf(Locale.ROOT, "oversampling %d hard frames (>= %d people, or one with feet above row %d) %dx%n",
                extra.size() / (oversample - 1), CROWDED, FAR_FOOT_ROW, oversample);
        train.addAll(extra);
    }

    /**
     * --qat 1: quantization-aware training. Activation ranges are fixed from the starting weights' calibration
     * (the int8 export uses the same ranges) and every activation is rounded to its int8 grid in the forward pass;
     * the training loop rounds the filters to theirs for each step's gradient. Returns the ranges.
     */
    private static float[][] startQuantizationAware(DetectorNet net, List<Sample> real, DetectorTrainCommand o) {
        float[][] ranges = calibrate(net, real, o.calibrate, o.optimiser.seed);
        floorScores(net, ranges, o); // while training too: the grid the export will use
        net.quantizeActivations(quantParams(ranges));
        System.out.printf(Locale.ROOT, "quantization-aware: %d activations on int8 grids from %d calibration frames, %d filters rounded per step%n",
                ranges.length, o.calibrate, net.convFilters().size());
        return ranges;
    }

    /**
     * The epochs, each followed by the validation count MAE at threshold 0.5; with --ema D the weights become
     * their moving average over the steps (decay D per step) at the end, instead of the last weights.
     */
    private static void runTraining(DetectorNet net, TrainingFrames frames, CopyPaste paste, FilterRounding rounding,
                                    Map<Integer, Integer> valCounts, DetectorTrainCommand o) throws Exception {
        OptimiserOptions opt = o.optimiser;
        TrainingLoop loop = TrainingLoop.builder(net).epochs(opt.epochs).batch(opt.batch).threads(opt.threads).learningRate((float) opt.lr)
                .seed(opt.seed).zoom(o.zoom, o.enlarge).paste(paste).rounding(rounding).movingAverage(o.ema).presenceWeight(o.presenceWeight).adaptiveSigma(o.adaptiveSigma)
                .trainable(o.presenceOnly ? net.params().subList(net.backboneParams().size(), net.params().size()) : net.params()).build();
        String grids = rounding != null ? " (activations on int8 grids, float weights)" : "";
        long t0 = System.nanoTime();
        loop.run(frames.train(), (epoch, scoreLoss, boxLoss, presenceLoss) -> {
            double el = (System.nanoTime() - t0) / 1e9;
            double[] vm = validate(net, frames.val(), 0.5f, 0.3f, valCounts);
            System.out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f (score %.4f, box %.4f, presence %.4f)  val count MAE at 0.5%s: %.3f vs labels, %.3f vs hand counts  %.0f s, ETA %.0f s%n",
                    epoch, opt.epochs, scoreLoss + boxLoss + presenceLoss, scoreLoss, boxLoss, presenceLoss, grids, vm[0], vm[1], el, el / epoch * (opt.epochs - epoch));
        });
        if (loop.useAverage()) {
            double[] vm = validate(net, frames.val(), 0.5f, 0.3f, valCounts);
            System.out.printf(Locale.ROOT, "weights: moving average (decay %s)  val count MAE at 0.5: %.3f vs labels, %.3f vs hand counts%n", o.ema, vm[0], vm[1]);
        }
    }

    /** --bias-correct N: N training frames (the calibration ones first) set each int8 layer's bias correction; none when 0. */
    private static Map<String, float[]> biasCorrection(DetectorNet net, float[][] ranges, List<Sample> real, DetectorTrainCommand o)
            throws dev.winnow.runtime.format.ModelFormatException {
        if (o.biasCorrect <= 0) return Map.of();
        List<float[]> bf = new ArrayList<>();
        for (Sample s : calibrationOrder(real, o.optimiser.seed).subList(0, Math.min(o.biasCorrect, real.size()))) bf.add(floats(s.pixels()));
        Map<String, float[]> correction = BiasCorrection.estimate(net, ranges, bf);
        StringBuilder sb = new StringBuilder("int8 bias correction from " + bf.size() + " training frames, mean |shift| per layer:");
        correction.forEach((k, v) -> {
            double m = 0;
            for (float x : v) m += Math.abs(x);
            sb.append(String.format(Locale.ROOT, " %s %.4f;", k, m / v.length));
        });
        System.out.println(sb);
        return correction;
    }

    /**
     * The score and box head outputs ({scores, boxes}) on every validation frame: of the float network when
     * {@code ranges} is null, else of the int8 graph with those ranges, printing how far quantization moves the
     * person scores from the float head's.
     */
    private static List<float[][]> validationHeads(DetectorNet net, List<Sample> val, float[][] ranges, Map<String, float[]> correction,
                                                   int calibration) throws Exception {
        List<float[][]> heads = new ArrayList<>();
        if (ranges == null) {
            for (Sample s : val) {
                DetectorNet.Output fo = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, floats(s.pixels())));
                heads.add(new float[][] {fo.scores().data.clone(), fo.boxes().data.clone()});
            }
            return heads;
        }
        dev.winnow.runtime.graph.Interpreter headRun = dev.winnow.runtime.Model.load(DetectorExport.export(net, new DetectorExport.Decode(0.5f, 0.3f),
                ranges, correction, null, null, List.of("score_f", "box_f"))).newInterpreter();
        int cells = net.cfg.gridH() * net.cfg.gridW() * net.cfg.anchors();
        double[] drift = new double[3];
        for (Sample s : val) {
            float[] sc = new float[cells], bx = new float[4 * cells];
            headRun.setInput(0, floats(s.pixels()), 0);
            headRun.invoke();
            headRun.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT, sc, 0);
            headRun.getOutput(DetectorExport.FIRST_EXTRA_OUTPUT + 1, bx, 0);
            heads.add(new float[][] {sc, bx});
            DetectorNet.Output fo = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, floats(s.pixels())));
            for (int k = 0; k < cells; k++) {
                float pf = DetectionLoss.sigmoid(fo.scores().data[k]), pq = DetectionLoss.sigmoid(sc[k]);
                if (Math.max(pf, pq) >= 0.2f) {
                    drift[0] += Math.abs(pf - pq);
                    drift[1]++;
                    drift[2] += pq - pf;
                }
            }
        }
        System.out.printf(Locale.ROOT, "int8 (activation ranges from %d training frames): person scores %.4f from the float head's on average (signed: %+.4f), over the %d validation anchors where either is >= 0.2%n",
                calibration, drift[0] / Math.max(1, drift[1]), drift[2] / Math.max(1, drift[1]), (long) drift[1]);
        return heads;
    }

    /**
     * The decode settings tried: --nms iou (default: the shipped model's grid, IoU 0.2-0.6), both (IoU 0.1-0.6 and
     * centre distance 0.3-1.0) or center, each at score thresholds 0.15-0.85.
     */
    static List<DetectorExport.Decode> decodeGrid(String nms) {
        List<DetectorExport.Decode> grid = new ArrayList<>();
        float[] ious = nms.equals("iou") ? new float[] {0.2f, 0.3f, 0.4f, 0.5f, 0.6f} : new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        if (!nms.equals("center"))
            for (float iou : ious) for (int ti = 0; ti <= 14; ti++) grid.add(new DetectorExport.Decode(0.15f + 0.05f * ti, iou));
        if (!nms.equals("iou"))
            for (float cd : new float[] {0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 1.0f}) for (int ti = 0; ti <= 14; ti++) grid.add(new DetectorExport.Decode(0.15f + 0.05f * ti, 0.5f, cd));
        return grid;
    }

    /**
     * Score threshold and suppression (NMS by IoU, or by centre distance) from the validation frames: lowest count
     * MAE against the hand counts (validation-counts.csv and any carved stretch's), ties broken by the count MAE
     * against the cleaned labels on all validation frames. Prints the choice and the best of each rule.
     */
    private static Selection chooseDecode(DetectorNet.Config cfg, List<Sample> val, List<float[][]> heads, Map<Integer, Integer> valCounts,
                                          String nms, String head) {
        List<DetectorExport.Decode> grid = decodeGrid(nms);
        DetectorExport.Decode decode = grid.get(0);
        double bestMae = Double.MAX_VALUE, bestHand = Double.MAX_VALUE;
        Map<String, double[]> perRule = new LinkedHashMap<>(); // best (hand MAE, threshold) per suppression rule, for the log
        for (DetectorExport.Decode dc : grid) {
            double[] m = validate(cfg, val, heads, dc, valCounts);
            String rule = dc.centerDistance() > 0 ? String.format(Locale.ROOT, "centre %.1f", dc.centerDistance()) : String.format(Locale.ROOT, "IoU %.1f", dc.iouThreshold());
            double[] pr = perRule.computeIfAbsent(rule, k -> new double[] {Double.MAX_VALUE, 0});
            if (m[1] < pr[0] - 1e-9) {
                pr[0] = m[1];
                pr[1] = dc.scoreThreshold();
            }
            if (m[1] < bestHand - 1e-9 || (m[1] < bestHand + 1e-9 && m[0] < bestMae - 1e-9)) {
                bestHand = m[1];
                bestMae = m[0];
                decode = dc;
            }
        }
        System.out.printf(Locale.ROOT, "%s head: score threshold %.2f, %s (validation count MAE %.3f against %d hand counts, %.3f against the cleaned labels)%n",
                head, decode.scoreThreshold(), decode.centerDistance() > 0 ? String.format(Locale.ROOT, "suppression by centre distance %.1f", decode.centerDistance())
                        : String.format(Locale.ROOT, "NMS IoU %.1f", decode.iouThreshold()), bestHand, valCounts.size(), bestMae);
        StringBuilder rules = new StringBuilder("  best hand-count MAE per suppression rule (at threshold):");
        perRule.forEach((k, v) -> rules.append(String.format(Locale.ROOT, " %s: %.3f (%.2f);", k, v[0], v[1])));
        System.out.println(rules);
        return new Selection(decode, bestMae, bestHand);
    }

    /** Counted against hand-counted people on each hand-counted validation frame, at the chosen settings and at IoU 0.2. */
    private static void printCounts(DetectorNet.Config cfg, List<Sample> val, List<float[][]> heads, Map<Integer, Integer> valCounts,
                                    DetectorExport.Decode decode) {
        for (DetectorExport.Decode dc : new DetectorExport.Decode[] {decode, new DetectorExport.Decode(decode.scoreThreshold(), 0.2f)}) {
            StringBuilder per = new StringBuilder();
            for (int i = 0; i < val.size(); i++) {
                Integer h = valCounts.get(val.get(i).frame());
                if (h != null) per.append(' ').append(val.get(i).frame()).append(':')
                        .append(StudentDecoder.decode(cfg, heads.get(i)[0], heads.get(i)[1], dc).size()).append('/').append(h);
            }
            System.out.printf(Locale.ROOT, "  %s counted/hand:%s%n", dc, per);
        }
    }

    /** Where the artifacts come from, for their metadata. */
    private static Map<String, Object> provenance(DetectorTrainCommand o, String labelSource) {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("tool", "winnow DetectorTrainer");
        prov.put("dataset", labelSource.equals("teacher")
                ? "model-tools/detector/training-sources.csv role train: vtest.avi 0-589, tree.avi 0-35" + (o.clips.isEmpty() ? "" : ", " + String.join(", ", o.clips))
                        + " (labels: the CenterNet teacher), the vtest plate, copy-paste"
                : "opencv-doc vtest.avi frames 0-589 (labels: " + labelSource + "), tree.avi 0-35, background plate");
        prov.put("seed", o.optimiser.seed);
        prov.put("command", "scripts/detector/train.sh");
        return prov;
    }

    /** Writes --float-out and --out with the chosen decode settings and their validation metrics. */
    private static void writeArtifacts(DetectorTrainCommand o, DetectorNet net, Selection chosen, float[][] ranges, Map<String, float[]> correction,
                                       Map<String, Object> prov, boolean handCounted) throws java.io.IOException {
        Map<String, Double> metrics = new java.util.TreeMap<>(handCounted // a fixed order: same run, same bytes
                ? Map.of("val_count_mae", chosen.labelMae(), "val_hand_count_mae", chosen.handMae()) : Map.of("val_count_mae", chosen.labelMae()));
        Files.createDirectories(o.floatOut.toAbsolutePath().getParent());
        Files.write(o.floatOut, DetectorExport.export(net, chosen.decode(), null, prov, metrics));
        Files.createDirectories(o.out.toAbsolutePath().getParent());
        byte[] q = DetectorExport.export(net, chosen.decode(), ranges, correction, prov, metrics, List.of());
        Files.write(o.out, q);
        System.out.printf(Locale.ROOT, "wrote %s (%,d B) and %s (%,d B)%n", o.floatOut, Files.size(o.floatOut), o.out, q.length);
    }

    /** Frames 0..n-1 of a clip as 320x240 grey bytes, decoded and converted on every core. */
    static byte[][] loadAll(DetectorData dd, String clip, int n) {
        byte[][] out = new byte[n][];
        java.util.stream.IntStream.range(0, n).parallel().forEach(f -> {
            try {
                out[f] = bytes(dd.load(clip, f));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return out;
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
    static double[] trainOne(DetectorNet net, Sample s, long seed, int worker, float zoom, float enlarge, CopyPaste paste, LossSettings loss) {
        List<float[]> boxes = new ArrayList<>();
        boolean real = !scene(s);
        if (s.clip().equals(SYNTHETIC)) s = paste.scene(s, new Random(~seed));
        else if (s.clip().equals(PASTED)) s = paste.anywhere(s, new Random(~seed));
        else if (s.clip().equals(OBJECT_SCENE)) s = paste.objectScene(s, new Random(~seed));
        else if (paste != null) s = paste.apply(s, new Random(~seed));
        float[] img = augment(s, seed, zoom, real ? enlarge : 0f, boxes);
        int W = DetectorNet.IN_W, H = DetectorNet.IN_H;
        Tape t = new Tape(worker, true);
        DetectorNet.Output o = net.forward(t, new Tensor(H, W, 1, img));
        double[] l = DetectionLoss.apply(o.scores(), o.boxes(), boxes, net.cfg.anchorW(), net.cfg.anchorH(), net.cfg.subX(), loss.adaptiveSigma());
        // the frame-level label: the teacher boxed someone (after augmentation: a zoom-in can crop everyone out)
        double pl = o.presence() != null ? PresenceHead.loss(o.presence(), !boxes.isEmpty(), loss.presenceWeight()) : 0;
        t.backward();
        return new double[] {l[0], l[1], pl};
    }

    /** The loss's settings: the presence head's weight, and whether large people get CenterNet's wider bump ({@link DetectionLoss}). */
    record LossSettings(float presenceWeight, boolean adaptiveSigma) {}

    /** The augmented image of {@link #trainOne} without enlarging. */
    static float[] augment(Sample s, long seed, float zoom, List<float[]> boxes) {
        return augment(s, seed, zoom, 0f, boxes);
    }

    /** A box is kept in an enlarged frame when at least this fraction of it stays inside (a teacher boxes what it sees). */
    static final float ENLARGED_VISIBLE = 0.3f;

    /**
     * The augmented image of {@link #trainOne}; its boxes are added to {@code boxes}. With {@code enlarge} &gt; 0,
     * a third of the frames are zoomed in by a factor drawn log-uniformly in [1.2, enlarge] around a random point;
     * boxes are clipped to the frame and dropped when less than {@link #ENLARGED_VISIBLE} of them is left.
     */
    static float[] augment(Sample s, long seed, float zoom, float enlarge, List<float[]> boxes) {
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
        // drawn after the zoom's numbers, so that a run without --enlarge augments exactly as before
        if (enlarge > 0 && sc == 1f && r.nextFloat() < 1f / 3f) {
            sc = (float) Math.exp(Math.log(1.2) + r.nextFloat() * (Math.log(enlarge) - Math.log(1.2)));
            ox = (1f - sc) * W * r.nextFloat(); // negative: the frame's window [−ox/sc, (W − ox)/sc] lies inside the source
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
            if (sc > 1f) { // enlarged: clip to the frame, keep what is mostly still there
                float x0 = Math.max(0, b[0]), y0 = Math.max(0, b[1]), x1 = Math.min(W, b[0] + b[2]), y1 = Math.min(H, b[1] + b[3]);
                if (x1 <= x0 || y1 <= y0 || (x1 - x0) * (y1 - y0) < ENLARGED_VISIBLE * b[2] * b[3]) continue;
                b = new float[] {x0, y0, x1 - x0, y1 - y0};
            }
            boxes.add(flip ? new float[] {W - b[0] - b[2], b[1], b[2], b[3]} : b);
        }
        return img;
    }

    /**
     * Count MAE on the validation frames at a score threshold (decoded as the runtime does): against the
     * cleaned labels on every validation frame, and against the hand counts on the frames that have one (0 when none).
     */
    static double[] validate(DetectorNet net, List<Sample> val, float threshold, float iou, Map<Integer, Integer> handCounts) {
        List<float[][]> heads = new ArrayList<>();
        for (Sample s : val) {
            DetectorNet.Output o = net.forward(Tape.inference(), new Tensor(DetectorNet.IN_H, DetectorNet.IN_W, 1, floats(s.pixels())));
            heads.add(new float[][] {o.scores().data, o.boxes().data});
        }
        return validate(net.cfg, val, heads, new DetectorExport.Decode(threshold, iou), handCounts);
    }

    /** The same on head outputs computed once ({scores, boxes} per validation frame). */
    static double[] validate(DetectorNet.Config cfg, List<Sample> val, List<float[][]> heads, DetectorExport.Decode dc, Map<Integer, Integer> handCounts) {
        double err = 0, hand = 0;
        int nh = 0;
        for (int i = 0; i < val.size(); i++) {
            Sample s = val.get(i);
            int n = StudentDecoder.decode(cfg, heads.get(i)[0], heads.get(i)[1], dc).size();
            err += Math.abs(n - s.boxes().size());
            Integer h = handCounts.get(s.frame());
            if (h != null) {
                hand += Math.abs(n - h);
                nh++;
            }
        }
        return new double[] {err / Math.max(1, val.size()), hand / Math.max(1, nh)};
    }

    /**
     * --score-floor L: the int8 score logits cover [max(L, calibrated min), max] only. Logits far below any score
     * threshold (sigmoid(-8) = 0.0003) decode the same when clamped, and the narrower range gives the logits near
     * the threshold a finer grid.
     */
    private static void floorScores(DetectorNet net, float[][] ranges, DetectorTrainCommand o) {
        if (o.scoreFloor == null) return;
        float before = DetectorExport.floorScoreRange(net, ranges, o.scoreFloor);
        float[] r = ranges[DetectorExport.activationNames(net).indexOf("score")];
        System.out.printf(Locale.ROOT, "int8 score logits: range [%.3f, %.3f] (calibrated from %.3f)%n", r[0], r[1], before);
    }

    /** The int8 grids of activation ranges (min, max). */
    static QuantParams[] quantParams(float[][] ranges) {
        QuantParams[] q = new QuantParams[ranges.length];
        for (int i = 0; i < q.length; i++) q[i] = QuantParams.forRange(ranges[i][0], ranges[i][1]);
        return q;
    }

    /** The training frames in the order calibration takes them. */
    static List<Sample> calibrationOrder(List<Sample> train, long seed) {
        List<Sample> pick = new ArrayList<>(train);
        Collections.shuffle(pick, new Random(seed + 1));
        return pick;
    }

    /** Activation ranges (min, max) over calibration frames, in {@link DetectorExport#activationNames} order. */
    static float[][] calibrate(DetectorNet net, List<Sample> train, int n, long seed) {
        List<Sample> pick = calibrationOrder(train, seed);
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

    /**
     * Warm start: fine-tunes {@code net} in place (its weights are the starting point, as {@link DetectorImport}
     * reads them from an artifact) on {@code train} for {@code epochs}, with the augmentation and loss of
     * {@link #train} (no zoom, enlarging or pasting), on the same {@link TrainingLoop} with a shorter warm-up. {@code progress}
     * gets (epoch, mean loss) after each epoch. {@code winnow detector adapt} runs it on a camera's frames.
     */
    static void fineTune(DetectorNet net, List<Sample> train, int epochs, int batch, float lr, long seed, int threads,
                         java.util.function.ObjIntConsumer<Double> progress) throws Exception {
        if (train.isEmpty() || epochs <= 0) return;
        // a shorter warm-up than from scratch: the weights are already trained, the moments are not
        TrainingLoop loop = TrainingLoop.builder(net).epochs(epochs).batch(batch).threads(threads).learningRate(lr).seed(seed)
                .warmupSteps(10).build();
        loop.run(train, (epoch, scoreLoss, boxLoss, presenceLoss) -> {
            if (progress != null) progress.accept(scoreLoss + boxLoss + presenceLoss, epoch);
        });
    }
}
