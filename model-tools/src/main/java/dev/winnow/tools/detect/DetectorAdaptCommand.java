package dev.winnow.tools.detect;

import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.tools.io.AtomicFiles;
import dev.winnow.tools.teacher.PersonTeacher;
import dev.winnow.tools.teacher.TeacherModels;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code winnow detector adapt}: specialises the student to one camera (NoScope's per-camera model,
 * Ekya's retraining): the teacher labels the camera's first minutes at a fixed sample rate, the student
 * is fine-tuned from the base artifact's own weights on those frames (people where the teacher boxes them,
 * hard negatives where it sees nobody), and both are scored against the teacher on the minutes that follow.
 * A result worse than its starting model there is refused ({@link Exits#REFUSED}): nothing is written or
 * published. With {@code --zoo} (RECL's model zoo), the start is whichever of the base and the registry's
 * aliased versions agrees best with the teacher on the first minutes.
 */
@Command(name = "adapt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune the student to one camera from the teacher's labels of its first minutes, check it on the minutes after,",
                "and write (and publish, signed) it only if it is not worse there than the model it started from.",
                "Exit 11: refused as worse than its base; nothing is written or published."})
final class DetectorAdaptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--base", required = true, description = "the student to start from (.wnm), e.g. model-tools/detector/person-detector-int8.wnm") Path base;
    @Mixin FootageOptions footage;
    @Option(names = "--camera", required = true, description = "the camera: a directory of frames (in name order), a video file or a stream URL (rtsp://...)") String camera;
    @Option(names = "--out", required = true, description = "the adapted int8 student (.wnm), written only when it is accepted") Path out;
    @Option(names = "--publish", description = "also publish it, signed, to this registry (a directory or a server URL)") String publish;
    @Option(names = "--name", defaultValue = "person-detector", description = "model name in the registry (default: ${DEFAULT-VALUE})") String name;
    @Option(names = "--alias", description = "the camera's alias, pointed at the published version (needed with --publish)") String alias;
    @Mixin SigningOptions signing;
    @Option(names = "--zoo", description = "registry whose aliased versions of --name are candidate starting points beside --base") String zoo;
    @Option(names = "--token", description = "bearer token for a registry server (default: $WINNOW_REGISTRY_TOKEN)") String token = System.getenv("WINNOW_REGISTRY_TOKEN");
    @Option(names = "--teacher", description = "teacher artifact (default: models/teacher/centernet.wnm)") Path teacherPath;
    @Option(names = "--teacher-threshold", defaultValue = "0.35", description = "teacher person score threshold (default: ${DEFAULT-VALUE})") float teacherThreshold;
    @Option(names = "--epochs", description = "fine-tuning epochs; 0 keeps the starting weights (default: 4, more on short footage: at least "
            + MIN_STEPS + " steps)") Integer epochs;
    @Option(names = "--batch", defaultValue = "8", description = "default: ${DEFAULT-VALUE}") int batch;
    @Option(names = "--lr", defaultValue = "0.001", description = "peak Adam learning rate, cosine schedule (default: ${DEFAULT-VALUE})") float lr;
    @Option(names = "--threads", defaultValue = "1", description = "threads for the teacher and the fine-tuning (default: ${DEFAULT-VALUE}, one core)") int threads;
    @Option(names = "--seed", defaultValue = "7", description = "default: ${DEFAULT-VALUE}") long seed;
    @Option(names = "--threshold", defaultValue = "auto", description = "the adapted student's score threshold: 'auto' chooses it on the fine-tuning frames "
            + "(fewest frames decided against the teacher, then the smaller count error, then the nearest to the base's), 'base' keeps the base's, "
            + "or a number in (0, 1) (default: ${DEFAULT-VALUE})") String threshold;
    @Option(names = "--calibrate", defaultValue = "48", description = "camera frames calibrating the int8 activation ranges (default: ${DEFAULT-VALUE})") int calibrate;

    /** Short footage still gets this many optimiser steps by default: a few frames at 4 epochs would hardly move the weights. */
    static final int MIN_STEPS = 120;

    /** Presence and count of a student against the teacher on a slice. */
    record Scores(int frames, int tp, int fp, int fn, int teacherPresent, double countAbsError) {
        double precision() { return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp); }
        double recall() { return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn); }
        double kept() { return (double) (tp + fp) / frames; }
        double countMae() { return countAbsError / frames; }
        /** Frames whose presence verdict differs from the teacher's. */
        double disagreement() { return (double) (fp + fn) / frames; }

        /** Worse than {@code other}: more frames decided against the teacher, or as many and a larger count error. */
        boolean worseThan(Scores other) {
            if (fp + fn != other.fp + other.fn) return disagreement() > other.disagreement();
            return countMae() > other.countMae() + 1e-9;
        }
    }

    /** The student's presence and count on every frame of a slice, against the teacher's. */
    static Scores score(Model m, List<CameraFootage.Frame> frames) {
        PersonDetector det = new PersonDetector(m);
        int tp = 0, fp = 0, fn = 0, teacher = 0;
        double err = 0;
        for (CameraFootage.Frame f : frames) {
            det.run(f.grey());
            boolean s = det.count() > 0, t = f.teacherSeesPeople();
            if (t) teacher++;
            if (s && t) tp++;
            else if (s) fp++;
            else if (t) fn++;
            err += Math.abs(det.count() - f.teacher().size());
        }
        return new Scores(frames.size(), tp, fp, fn, teacher, err);
    }

    /** The keys read before the long part: those the registries must be signed by, and the pair that signs with --publish. */
    private record Keys(List<PublicKey> trusted, java.security.PrivateKey signKey, PublicKey signPub) {}

    /** The model fine-tuning started from, and what came of it. */
    private record Tuned(String startName, byte[] startBytes, Model startModel, DetectorImport.Imported start, DetectorExport.Decode decode, float[][] ranges,
                         Map<String, Object> provenance, Model adapted, double seconds) {}

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        checkOptions(cl);
        PrintWriter o = cl.getOut(), err = cl.getErr();
        long t0 = System.nanoTime();
        // read everything that can fail before the long part: the base, the keys, the teacher
        byte[] baseBytes = Files.readAllBytes(base);
        Model baseModel = Model.load(baseBytes);
        DetectorImport.read(baseModel.artifact(), 1); // refuses a model that is not an RNNPool student (exit 3)
        Keys keys = readKeys();
        Path tp = teacherPath != null ? teacherPath : TeacherModels.defaultPath();
        PersonTeacher teacher = new PersonTeacher(TeacherModels.load(tp), PersonTeacher.Fit.LETTERBOX);

        CameraFootage.Slices sl = labelFootage(teacher, tp, o, err);
        Tuned t = fineTune(baseBytes, sl, keys, o, err);
        Scores b = score(baseModel, sl.validate()), s = t.startBytes() == baseBytes ? b : score(t.startModel(), sl.validate()),
                a = score(t.adapted(), sl.validate());
        printComparison(o, sl, t, b, s, a, (System.nanoTime() - t0) / 1e9);
        if (a.worseThan(s)) {
            err.printf(Locale.ROOT, "winnow: refused: the adapted student is worse than %s on the validation slice (frames against the teacher %.3f vs %.3f, count MAE %.3f vs %.3f); nothing written or published%n",
                    t.startBytes() == baseBytes ? "its base" : "its zoo start", a.disagreement(), s.disagreement(), a.countMae(), s.countMae());
            err.flush();
            return Exits.REFUSED;
        }
        writeAndPublish(t, a, keys, o);
        return Exits.OK;
    }

    private void checkOptions(CommandLine cl) {
        footage.validate(cl);
        if ((epochs != null && epochs < 0) || batch < 1 || threads < 1 || !(lr > 0)) throw new CommandLine.ParameterException(cl, "--epochs >= 0, --batch >= 1, --threads >= 1 and --lr > 0");
        if (!(teacherThreshold > 0 && teacherThreshold < 1)) throw new CommandLine.ParameterException(cl, "--teacher-threshold must be in (0, 1)");
        if (!threshold.equals("auto") && !threshold.equals("base")) {
            float t;
            try {
                t = Float.parseFloat(threshold);
            } catch (NumberFormatException e) {
                t = Float.NaN;
            }
            if (!(t > 0 && t < 1)) throw new CommandLine.ParameterException(cl, "--threshold must be auto, base or a number in (0, 1): " + threshold);
        }
        if (publish != null && alias == null) throw new CommandLine.ParameterException(cl, "--publish needs --alias: the camera's alias is how the zoo finds the student");
        if (publish != null && !signing.hasKey())
            throw new CommandLine.ParameterException(cl, "--publish signs the artifact: give --key PREFIX (winnow keygen PREFIX) or set WINNOW_SIGNING_KEY");
    }

    private Keys readKeys() throws Exception {
        List<PublicKey> trusted = new ArrayList<>();
        for (Path p : signing.trust) trusted.add(Ed25519Keys.readPublicPem(p));
        if (publish == null) return new Keys(trusted, null, null);
        String key = signing.key;
        return new Keys(trusted, Ed25519Keys.readPrivatePem(Path.of(key + ".key.pem")), Ed25519Keys.readPublicPem(Path.of(key + ".pub.pem")));
    }

    /** The teacher's labels of the fine-tuning and validation slices, with a table of how many frames show people. */
    private CameraFootage.Slices labelFootage(PersonTeacher teacher, Path tp, PrintWriter o, PrintWriter err) throws Exception {
        o.printf(Locale.ROOT, "teacher %s labels %s at %s frames/s: minutes 0-%s fine-tune, %s-%s validate%n", tp, camera, fmt(footage.sampleFps), fmt(footage.minutes), fmt(footage.minutes),
                fmt(footage.minutes + footage.validateMinutes));
        o.flush();
        CameraFootage.Slices sl = CameraFootage.read(camera, footage.cameraFps, footage.sampleFps, footage.minutes, footage.validateMinutes, teacher, teacherThreshold, threads, err);
        o.printf(Locale.ROOT, "| slice | frames | teacher: with people |%n|---|---|---|%n| fine-tune | %d | %d |%n| validate | %d | %d |%n",
                sl.adapt().size(), sl.adapt().stream().filter(CameraFootage.Frame::teacherSeesPeople).count(),
                sl.validate().size(), sl.validate().stream().filter(CameraFootage.Frame::teacherSeesPeople).count());
        if (sl.skipped() > 0) o.printf(Locale.ROOT, "skipped %d frames that did not decode (first: %s)%n", sl.skipped(), sl.firstSkip());
        return sl;
    }

    /**
     * Fine-tunes from the base, or with --zoo from the zoo member that agrees best with the teacher on the
     * fine-tuning frames, and exports the result (calibrated on the camera's frames when the start is int8).
     */
    private Tuned fineTune(byte[] baseBytes, CameraFootage.Slices sl, Keys keys, PrintWriter o, PrintWriter err) throws Exception {
        String startName = "base";
        byte[] startBytes = baseBytes;
        if (zoo != null) {
            List<ZooCandidate> cands = new ArrayList<>(List.of(new ZooCandidate("base " + base.getFileName(), baseBytes)));
            for (ModelZoo.Member m : ModelZoo.open(zoo, keys.trusted(), token).members(name))
                cands.add(new ZooCandidate(name + ":" + m.version() + " @" + String.join(",@", m.aliases()), m.artifact()));
            ZooCandidate best = chooseStart(cands, sl.adapt(), o);
            startName = best.label();
            startBytes = best.artifact();
        }
        Model startModel = Model.load(startBytes);

        long tTune = System.nanoTime();
        DetectorImport.Imported start = DetectorImport.read(startModel.artifact(), threads);
        List<DetectorTrainer.Sample> samples = new ArrayList<>();
        for (int i = 0; i < sl.adapt().size(); i++) samples.add(new DetectorTrainer.Sample("camera", i, sl.adapt().get(i).grey(), sl.adapt().get(i).teacher()));
        int stepsPerEpoch = (samples.size() + batch - 1) / batch;
        int rounds = epochs != null ? epochs : Math.max(4, (MIN_STEPS + stepsPerEpoch - 1) / stepsPerEpoch);
        o.printf(Locale.ROOT, "fine-tuning from %s: %d frames, %d epochs of %d steps (batch %d, peak learning rate %s)%n", startName, samples.size(), rounds, stepsPerEpoch, batch, lr);
        o.flush();
        DetectorTrainer.fineTune(start.net(), samples, rounds, batch, lr, seed, threads,
                (loss, e) -> {
                    err.printf(Locale.ROOT, "epoch %d/%d  loss %.4f%n", e, rounds, loss);
                    err.flush();
                });
        float[][] ranges = start.int8() ? DetectorTrainer.calibrate(start.net(), samples, calibrate, seed) : null;
        DetectorExport.Decode decode = chooseDecode(start, ranges, sl.adapt(), o);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("tool", "winnow detector adapt");
        prov.put("base", startModel.sha256Hex());
        prov.put("camera", camera);
        prov.put("dataset", String.format(Locale.ROOT, "%s minutes 0-%s at %s frames/s (%d frames), labels: the CenterNet teacher", camera, fmt(footage.minutes), fmt(footage.sampleFps), samples.size()));
        prov.put("seed", seed);
        prov.put("score_threshold", (double) decode.scoreThreshold());
        Model adapted = Model.load(DetectorExport.export(start.net(), decode, ranges, Map.of(), prov, null, List.of()));
        return new Tuned(startName, startBytes, startModel, start, decode, ranges, prov, adapted, (System.nanoTime() - tTune) / 1e9);
    }

    /** The adapted student's thresholds: the base's suppression, and the score threshold --threshold asks for. */
    private DetectorExport.Decode chooseDecode(DetectorImport.Imported start, float[][] ranges, List<CameraFootage.Frame> frames, PrintWriter o) throws Exception {
        DetectorExport.Decode decode = start.decode();
        if (threshold.equals("base")) return decode;
        if (!threshold.equals("auto")) return CameraThreshold.at(decode, Float.parseFloat(threshold)); // checked in checkOptions
        CameraThreshold.Choice c = CameraThreshold.choose(CameraThreshold.probe(start, ranges), decode.scoreThreshold(), frames);
        o.printf(Locale.ROOT, "score threshold %.3f (base %.3f), chosen on the %d fine-tuning frames: %d decided against the teacher, count MAE %.3f%n",
                c.threshold(), decode.scoreThreshold(), c.frames(), c.disagreements(), c.countMae());
        return CameraThreshold.at(decode, c.threshold());
    }

    /** The base, the zoo start (when it is another model) and the adapted student on the validation slice, and the time taken. */
    private void printComparison(PrintWriter o, CameraFootage.Slices sl, Tuned t, Scores b, Scores s, Scores a, double total) {
        o.printf(Locale.ROOT, "%n| on the validation slice (%d frames, teacher: %d with people) | presence P | presence R | kept | count MAE |%n|---|---|---|---|---|%n",
                sl.validate().size(), a.teacherPresent());
        row(o, "base " + base.getFileName(), b);
        if (s != b) row(o, "zoo start " + t.startName(), s);
        row(o, "adapted", a);
        // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns
        double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
        int sampledFrames = sl.adapt().size() + sl.validate().size() + sl.skipped();
        o.printf(Locale.ROOT, "%ntook %.0f s wall, %.0f s CPU, for %.1f minutes of footage, %d frames sampled (teacher %.0f s, fine-tune and export %.0f s, %d thread%s)%n",
                total, cpu, sampledFrames / footage.sampleFps / 60, sampledFrames, sl.teacherSeconds(), t.seconds(), threads, threads == 1 ? "" : "s");
        o.flush();
    }

    /** The accepted student with its validation metrics, signed with --publish, written to --out and published under the camera's alias. */
    private void writeAndPublish(Tuned t, Scores a, Keys keys, PrintWriter o) throws Exception {
        Map<String, Double> metrics = new TreeMap<>(); // a fixed order: same run, same bytes
        metrics.put("camera_val_kept", a.kept());
        metrics.put("camera_val_count_mae", a.countMae());
        if (!Double.isNaN(a.recall())) metrics.put("camera_val_recall", a.recall());
        if (!Double.isNaN(a.precision())) metrics.put("camera_val_precision", a.precision());
        byte[] artifact = DetectorExport.export(t.start().net(), t.decode(), t.ranges(), Map.of(), t.provenance(), metrics, List.of());
        if (keys.signKey() != null) artifact = ArtifactWriter.sign(artifact, keys.signKey(), keys.signPub());
        write(out, artifact);
        o.printf("wrote %s (%,d B%s)%n", out, artifact.length, keys.signKey() != null ? ", signed by " + Ed25519Keys.fingerprint(keys.signPub()).substring(0, 16) : "");
        if (publish != null) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("camera", alias);
            tags.put("base", t.startModel().sha256Hex().substring(0, 12));
            ModelVersion v = ModelZoo.open(publish, keys.trusted(), token).publish(name, artifact, tags, alias);
            o.printf("published %s:%d, %s@%s -> %d%n", name, v.version(), name, alias, v.version());
        }
    }

    record ZooCandidate(String label, byte[] artifact) {}

    /**
     * The candidate whose presence verdicts agree with the teacher's on most of {@code frames} (then the
     * smaller count error; then the earlier, so the base wins ties), with a table of every candidate's agreement.
     * A candidate that is not an RNNPool student is listed and passed over.
     */
    static ZooCandidate chooseStart(List<ZooCandidate> cands, List<CameraFootage.Frame> frames, PrintWriter o) {
        o.printf(Locale.ROOT, "%n| zoo candidate | agreement with the teacher (%d fine-tuning frames) | kept | count MAE |%n|---|---|---|---|%n", frames.size());
        ZooCandidate best = null;
        Scores bestScores = null;
        for (ZooCandidate c : cands) {
            Scores sc;
            try {
                Model m = Model.load(c.artifact());
                DetectorImport.read(m.artifact(), 1);
                sc = score(m, frames);
            } catch (dev.winnow.runtime.format.ModelFormatException | RuntimeException e) {
                o.printf("| %s | not a person-detector student: %s | | |%n", c.label(), e.getMessage());
                continue;
            }
            o.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", c.label(), 1 - sc.disagreement(), sc.kept(), sc.countMae());
            if (best == null || bestScores.worseThan(sc)) {
                best = c;
                bestScores = sc;
            }
        }
        o.printf("starting from %s%n", best.label());
        return best;
    }

    private static void row(PrintWriter o, String label, Scores s) {
        o.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f |%n", label, num(s.precision()), num(s.recall()), s.kept(), s.countMae());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    /** Written whole or not at all ({@link AtomicFiles}), its directory created when missing. */
    private static void write(Path target, byte[] bytes) throws java.io.IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        AtomicFiles.write(target, bytes);
    }
}
