package dev.winnow.examples.cascade;

import dev.winnow.examples.io.CascadeTuning;
import dev.winnow.flink.frames.CascadeScorer;
import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.frames.MalformedFrameException;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures the edge cascade against the two ways of running the teacher, on the same footage:
 * <ol>
 *   <li>the teacher on every frame: the reference decisions ("person" = at least one teacher box of
 *       score >= its threshold) and their CPU time;</li>
 *   <li>the cascade as the jobs run it: {@link CascadeScorer} itself (difference detector, student,
 *       teacher for student scores inside the band), driven frame by frame on this thread;</li>
 *   <li>the Seiden-style baseline: the teacher on frames sampled at 1 or 2 per second, every other
 *       frame taking a sampled frame's verdict ({@link SampledTeacher}).</li>
 * </ol>
 * For each: the share of frames sent to the teacher, skipped (or held) and decided by the student;
 * false-negative and false-positive rates against the reference per frame and per one-second window
 * ({@link Confusion}); person-event recall, an event being a teacher track of at least one second
 * ({@link Tracks}); and thread CPU time (ThreadMXBean) of the scoring calls only: decoding the PNG files
 * and loading the models are not counted, since a camera delivers decoded frames to all three alike.
 */
@Command(name = "cascade-eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The cascade (difference detector + student + teacher band) beside the teacher on every frame and the",
                "teacher on 1-2 frames/s with a tracker: frames to the teacher, FN/FP per frame and per second, event recall, CPU."})
public final class CascadeEval implements Callable<Integer> {
    @Option(names = "--student", defaultValue = "model-tools/detector/person-detector-int8.wnm", description = "student artifact (default: ${DEFAULT-VALUE})")
    Path student;
    @Option(names = "--clip-student", paramLabel = "clip=wnm", description = "this clip's own student (e.g. the camera's adapted one, `winnow detector adapt`) "
            + "instead of --student, in the cascade and the student's score line; repeatable")
    Map<String, Path> clipStudents = new LinkedHashMap<>();

    @Option(names = "--teacher", defaultValue = "models/teacher/centernet.wnm", description = "teacher artifact (default: ${DEFAULT-VALUE})")
    Path teacher;

    @Option(names = "--data", defaultValue = "data/detector", description = "footage: <data>/<clip>/native/NNNN.png (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--clip", required = true, paramLabel = "name[:first-last]@fps",
            description = "a clip and its frame rate, e.g. vtest:636-794@10 (repeat the option for more clips)")
    List<String> clips;

    @Mixin CascadeTuning tuning = new CascadeTuning(0.01f);

    @Option(names = "--sweep", split = ",", paramLabel = "low:high", description = "also run the cascade with each of these bands (same difference "
            + "threshold) and report the cheapest that keeps FN and FP <= --goal per frame and per second")
    List<String> sweep = new ArrayList<>();

    @Option(names = "--sample-rates", split = ",", defaultValue = "1,2", description = "teacher frames per second of the sampled baseline (default: ${DEFAULT-VALUE})")
    List<Double> sampleRates;

    @Option(names = "--tracker", defaultValue = "HOLD", description = "between sampled frames: HOLD (last sampled verdict, live) or NEAREST "
            + "(nearest sampled frame, up to half an interval late) (default: ${DEFAULT-VALUE})")
    SampledTeacher.Mode tracker;

    @Option(names = "--iou", defaultValue = "0.3", description = "IoU linking teacher boxes into tracks, and matching an event's box (default: ${DEFAULT-VALUE})")
    double iou;

    @Option(names = "--max-gap", defaultValue = "0.25", description = "seconds a track may go unseen and continue (default: ${DEFAULT-VALUE})")
    double maxGapSeconds;

    @Option(names = "--goal", defaultValue = "0.01", description = "FN and FP rate goal for the sweep (default: ${DEFAULT-VALUE})")
    double goal;

    @Option(names = "--limit", defaultValue = "2147483647", description = "at most this many frames per clip (default: all)")
    int limit;

    @Option(names = "--warmup", defaultValue = "8", description = "frames of the first clip run untimed first, so the JIT has compiled both models (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", defaultValue = "1", description = "clips evaluated side by side, one per thread (default: ${DEFAULT-VALUE})")
    int threadCount;

    @Option(names = "--out", description = "directory for cascade-eval.csv and cascade-eval.md")
    Path out;

    static final String TEACHER_EVERY_FRAME = "teacher every frame";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) System.exit(code);
    }

    /**
     * The command with its error handling: bad input (a missing clip or artifact, a malformed band or
     * clip) ends with one line and exit code 2; anything else is a bug and prints its stack trace.
     */
    public static CommandLine commandLine() {
        return commandLine(new CascadeEval());
    }

    static CommandLine commandLine(CascadeEval command) {
        // a later option overrides an earlier one, so scripts can pass defaults before the user's arguments
        CommandLine cl = new CommandLine(command).setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IOException) {
                cmd.getErr().println("cascade-eval: " + ex.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }

    /** Per-frame decisions of one method on one clip, with what decided them and the CPU they took. */
    record Decisions(boolean[] present, float[][] boxes, int toTeacher, int skipped, int byStudent, int dropped, long cpuNanos) {}

    /** One method on one clip (or all clips, for a total). */
    public record Row(String clip, String method, int frames, int toTeacher, int skipped, int byStudent, int dropped,
                      Confusion perFrame, Confusion perSecond, int events, int foundByPresence, int foundByBoxes, long cpuNanos) {
        Row plus(Row o) {
            return new Row("total", method, frames + o.frames, toTeacher + o.toTeacher, skipped + o.skipped, byStudent + o.byStudent,
                    dropped + o.dropped, perFrame.plus(o.perFrame), perSecond.plus(o.perSecond), events + o.events,
                    foundByPresence + o.foundByPresence, foundByBoxes + o.foundByBoxes, cpuNanos + o.cpuNanos);
        }

        public double teacherShare() { return toTeacher / (double) frames; }
        public double skippedShare() { return skipped / (double) frames; }
        public double studentShare() { return byStudent / (double) frames; }
        /** Frames decided without sending anything upstream: all but those sent to the teacher. */
        public double edgeShare() { return 1 - teacherShare(); }
        public double eventRecall() { return events == 0 ? Double.NaN : foundByPresence / (double) events; }
        public double eventRecallBoxes() { return events == 0 ? Double.NaN : foundByBoxes / (double) events; }
        public double cpuMsPerFrame() { return cpuNanos / 1e6 / frames; }

        boolean meets(double goal) {
            return !(perFrame.fnRate() > goal) && !(perFrame.fpRate() > goal) && !(perSecond.fnRate() > goal) && !(perSecond.fpRate() > goal);
        }
    }

    /** Everything one run measured: rows per clip and method in order, and the totals per method. */
    public record Report(List<Row> rows, Map<String, Row> totals, Map<String, Row> sweepTotals, String cheapestBand) {}

    @Override
    public Integer call() throws Exception {
        Report r = evaluate(System.out);
        if (out != null) write(r, out);
        return 0;
    }

    public Report evaluate(PrintStream log) throws Exception {
        float[] main = tuning.band();
        if (!Files.isRegularFile(student)) throw new IllegalArgumentException("no student artifact " + student);
        for (Map.Entry<String, Path> e : clipStudents.entrySet())
            if (!Files.isRegularFile(e.getValue())) throw new IllegalArgumentException("no student artifact " + e.getValue() + " for clip " + e.getKey());
        if (!Files.isRegularFile(teacher)) {
            throw new IllegalArgumentException("no teacher artifact " + teacher + " (the first `winnow teacher label` imports it; scripts/detector/prepare-data.sh runs that)");
        }
        List<Clip> specs = new ArrayList<>();
        for (String c : clips) specs.add(Clip.parse(c));
        List<float[]> sweepBands = new ArrayList<>();
        for (String s : sweep) sweepBands.add(CascadeTuning.parseBand(s));
        for (double r : sampleRates) if (!(r > 0)) throw new IllegalArgumentException("--sample-rates must be positive, has " + r);
        if (threadCount < 1) throw new IllegalArgumentException("--threads must be at least 1, is " + threadCount);
        CascadeScorer.builder(ModelSource.ofPath(student, 1)).teacher(ModelSource.ofPath(teacher, 1), main[0], main[1]).difference(tuning.difference(), tuning.maxReuse()).build();

        String cascadeName = cascadeName(main);
        List<Row> rows = new ArrayList<>();
        Map<String, Row> totals = new LinkedHashMap<>(), sweepTotals = new LinkedHashMap<>();
        List<Frame> first = load(specs.get(0));
        warmUp(first.subList(0, Math.min(warmup, first.size())));
        first = null;
        // clips run side by side, one per thread; thread CPU time keeps each method's cost its own
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threadCount, specs.size()));
        List<Future<ClipResult>> results = new ArrayList<>();
        try {
            for (Clip clip : specs) results.add(pool.submit(() -> evaluate(clip, main, sweepBands)));
            for (Future<ClipResult> f : results) {
                ClipResult c;
                try {
                    c = f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) throw x;
                    throw e;
                }
                rows.addAll(c.main());
                rows.addAll(c.sweep());
                for (Row r : c.main()) totals.merge(r.method(), r, Row::plus);
                for (Row r : c.sweep()) sweepTotals.merge(r.method(), r, Row::plus);
                log.print(c.log());
            }
        } finally {
            pool.shutdownNow();
        }
        log.printf("%ntotal, all clips:%n");
        log.print(table(new ArrayList<>(totals.values())));
        String cheapest = null;
        if (!sweepTotals.isEmpty()) {
            log.printf(Locale.ROOT, "%nband sweep (difference %s), all clips pooled; goal: FN and FP <= %s per frame and per second:%n", num(tuning.difference()), pct(goal));
            log.print(table(new ArrayList<>(sweepTotals.values()), totals.values()));
            Row best = null;
            for (Row r : sweepTotals.values()) if (r.meets(goal) && (best == null || r.cpuNanos() < best.cpuNanos())) best = r;
            cheapest = best == null ? null : best.method().substring("sweep ".length());
            log.println(best == null ? "no band of the sweep meets the FN/FP goal"
                    : String.format(Locale.ROOT, "cheapest band meeting the FN/FP goal: %s (%.3f ms/frame, %s of frames to the teacher)", cheapest,
                    best.cpuMsPerFrame(), pct(best.teacherShare())));
        }
        log.println();
        log.println(verdict(totals, cascadeName));
        return new Report(rows, totals, sweepTotals, cheapest);
    }

    private record ClipResult(List<Row> main, List<Row> sweep, String log) {}

    /** Every method on one clip, on the calling thread. */
    private ClipResult evaluate(Clip clip, float[] main, List<float[]> sweepBands) throws Exception {
        List<Frame> frames = load(clip);
        Map<String, Integer> cached = clip.cachedTeacherCounts(data);
        Decisions ref = teacherEveryFrame(frames);
        int maxGap = (int) Math.round(maxGapSeconds * clip.fps());
        float[][] refBoxes = ref.boxes();
        boolean anyBoxless = false;
        for (int k = 0; k < frames.size(); k++) anyBoxless |= ref.present()[k] && refBoxes[k].length == 0;
        List<Tracks.Track> tracks = anyBoxless ? Tracks.presenceRuns(ref.present(), maxGap) : Tracks.link(refBoxes, iou, maxGap);
        List<Tracks.Track> events = Tracks.events(tracks, (int) Math.ceil(clip.fps() - 1e-9));

        List<Row> clipRows = new ArrayList<>(), sweepRows = new ArrayList<>();
        clipRows.add(row(clip, TEACHER_EVERY_FRAME, ref, ref, events));
        clipRows.add(row(clip, cascadeName(main), cascade(studentFor(clip), frames, main), ref, events));
        for (double rate : sampleRates) clipRows.add(row(clip, sampledName(rate), sampled(frames, clip, rate), ref, events));
        for (float[] b : sweepBands) sweepRows.add(row(clip, "sweep " + cascadeName(b), cascade(studentFor(clip), frames, b), ref, events));
        StringBuilder log = new StringBuilder();
        log.append(String.format(Locale.ROOT, "%n%s: %d frames at %s frames/s, %d teacher tracks, %d events (>= 1 s)%s%s%n", clip.label(), frames.size(),
                num(clip.fps()), tracks.size(), events.size(),
                anyBoxless ? " [presence runs: the reference gave no boxes]" : " [tracks: teacher boxes linked by IoU]", agreement(clip, frames.size(), ref, cached)));
        List<Row> shown = new ArrayList<>(clipRows);
        shown.addAll(sweepRows);
        if (clipStudents.containsKey(clip.name())) log.append("student: ").append(studentFor(clip)).append('\n');
        log.append(table(shown)).append(studentScores(studentFor(clip), frames)).append('\n');
        return new ClipResult(clipRows, sweepRows, log.toString());
    }

    /** The cascade against the cheapest sampled baseline with at least its event recall, in one line. */
    static String verdict(Map<String, Row> totals, String cascadeName) {
        Row c = totals.get(cascadeName);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %.3f ms/frame, event recall %s (boxes %s)", cascadeName, c.cpuMsPerFrame(),
                pct(c.eventRecall()), pct(c.eventRecallBoxes())));
        for (Row r : totals.values()) {
            if (!r.method().startsWith("teacher at")) continue;
            String cmp = r.cpuNanos() <= c.cpuNanos() ? "cheaper or equal" : String.format(Locale.ROOT, "%.2fx the cascade's cost", r.cpuNanos() / (double) c.cpuNanos());
            s.append(String.format(Locale.ROOT, "; %s: %.3f ms/frame (%s), event recall %s (boxes %s)", r.method(), r.cpuMsPerFrame(), cmp,
                    pct(r.eventRecall()), pct(r.eventRecallBoxes())));
        }
        return s.toString();
    }

    /**
     * Where the student's scores fall on this clip, untimed, to choose bands: a verdict's score is its
     * best kept box's, so a frame without boxes scores 0 and only a band that starts at 0 sends such
     * frames to the teacher.
     */
    private String studentScores(Path student, List<Frame> frames) throws Exception {
        FrameScoring s = new FrameScoring(ModelSource.ofPath(student, 1).load(), 1, "person");
        List<Float> positive = new ArrayList<>();
        int zero = 0;
        for (Frame f : frames) {
            Verdict v = scoreOrNull(s, f);
            if (v == null) continue;
            if (v.count > 0) positive.add(v.score);
            else zero++;
        }
        positive.sort(null);
        if (positive.isEmpty()) return "student alone: no frame with a box (" + zero + " frames score 0)";
        return String.format(Locale.ROOT, "student alone: %d frames without a box (score 0), %d with; their best-box scores min %.3f, median %.3f, max %.3f",
                zero, positive.size(), positive.get(0), positive.get(positive.size() / 2), positive.get(positive.size() - 1));
    }

    private String agreement(Clip clip, int n, Decisions ref, Map<String, Integer> cached) {
        if (cached.isEmpty()) return "";
        int same = 0, known = 0;
        List<Path> files;
        try {
            files = clip.files(data, limit);
        } catch (IOException e) {
            return "";
        }
        for (int k = 0; k < n; k++) {
            Integer c = cached.get(files.get(k).getFileName().toString());
            if (c == null) continue;
            known++;
            if ((c > 0) == ref.present()[k]) same++;
        }
        return known == 0 ? "" : String.format(Locale.ROOT, "; presence agrees with teacher.csv on %d/%d frames", same, known);
    }

    private List<Frame> load(Clip clip) throws IOException {
        List<Path> files = clip.files(data, limit);
        List<Frame> frames = new ArrayList<>(files.size());
        for (int k = 0; k < files.size(); k++) frames.add(clip.frame(files.get(k), k));
        return frames;
    }

    private void warmUp(List<Frame> frames) throws Exception {
        teacherEveryFrame(frames);
        cascade(student, frames, new float[] {0f, 1f});
        cascade(student, frames, tuning.band());
    }

    /** The reference: the teacher scores every frame, as the cascade's teacher would. */
    Decisions teacherEveryFrame(List<Frame> frames) throws Exception {
        FrameScoring t = new FrameScoring(ModelSource.ofPath(teacher, 1).load(), 1, "person");
        int n = frames.size(), dropped = 0;
        boolean[] present = new boolean[n];
        float[][] boxes = new float[n][];
        long cpu = 0;
        for (int k = 0; k < n; k++) {
            long t0 = threads.getCurrentThreadCpuTime();
            Verdict v = scoreOrNull(t, frames.get(k));
            cpu += threads.getCurrentThreadCpuTime() - t0;
            if (v == null) dropped++;
            present[k] = v != null && v.count > 0;
            boxes[k] = v == null ? new float[0] : v.boxes;
        }
        return new Decisions(present, boxes, n - dropped, 0, 0, dropped, cpu);
    }

    private static Verdict scoreOrNull(FrameScoring s, Frame f) {
        try {
            s.prepare(f);
        } catch (MalformedFrameException e) {
            return null;
        }
        return s.score(f).verdict;
    }

    /** The job's own cascade operator, opened outside a cluster and fed frame by frame on this thread. */
    /** The clip's own student when --clip-student names one, else --student. */
    Path studentFor(Clip clip) {
        return clipStudents.getOrDefault(clip.name(), student);
    }

    Decisions cascade(Path student, List<Frame> frames, float[] b) throws Exception {
        CascadeScorer scorer = CascadeScorer.builder(ModelSource.ofPath(student, 1)).teacher(ModelSource.ofPath(teacher, 1), b[0], b[1])
                .difference(tuning.difference(), tuning.maxReuse()).build();
        scorer.setRuntimeContext(new RuntimeUDFContext(new TaskInfoImpl("cascade-eval", 1, 0, 1, 0), getClass().getClassLoader(),
                new ExecutionConfig(), new HashMap<>(), new HashMap<>(), UnregisteredMetricsGroup.createOperatorMetricGroup()));
        scorer.open(DefaultOpenContext.INSTANCE);
        int n = frames.size(), toTeacher = 0, skipped = 0, byStudent = 0, dropped = 0;
        boolean[] present = new boolean[n];
        float[][] boxes = new float[n][];
        Last last = new Last();
        long cpu = 0;
        try {
            for (int k = 0; k < n; k++) {
                last.value = null;
                long t0 = threads.getCurrentThreadCpuTime();
                scorer.flatMap(frames.get(k), last);
                cpu += threads.getCurrentThreadCpuTime() - t0;
                Verdict v = last.value == null ? null : last.value.verdict;
                if (v == null) dropped++;
                else if (Verdict.TEACHER.equals(v.decidedBy)) toTeacher++;
                else if (Verdict.REUSED.equals(v.decidedBy)) skipped++;
                else byStudent++;
                present[k] = v != null && v.count > 0;
                boxes[k] = v == null ? new float[0] : v.boxes;
            }
        } finally {
            scorer.close();
        }
        return new Decisions(present, boxes, toTeacher, skipped, byStudent, dropped, cpu);
    }

    /** The teacher on every {@code step}-th frame, the tracker filling the rest. */
    Decisions sampled(List<Frame> frames, Clip clip, double rate) throws Exception {
        FrameScoring t = new FrameScoring(ModelSource.ofPath(teacher, 1).load(), 1, "person");
        int n = frames.size(), step = SampledTeacher.step(clip.fps(), rate), toTeacher = 0, dropped = 0;
        boolean[] samplePresent = new boolean[n], present = new boolean[n];
        float[][] sampleBoxes = new float[n][], boxes = new float[n][];
        long cpu = 0;
        for (int k = 0; k < n; k++) {
            if (!SampledTeacher.sampled(k, step)) continue;
            long t0 = threads.getCurrentThreadCpuTime();
            Verdict v = scoreOrNull(t, frames.get(k));
            cpu += threads.getCurrentThreadCpuTime() - t0;
            toTeacher++;
            if (v == null) dropped++;
            samplePresent[k] = v != null && v.count > 0;
            sampleBoxes[k] = v == null ? new float[0] : v.boxes;
        }
        long t0 = threads.getCurrentThreadCpuTime();
        int[] src = SampledTeacher.source(n, step, tracker);
        for (int k = 0; k < n; k++) {
            present[k] = samplePresent[src[k]];
            boxes[k] = sampleBoxes[src[k]];
        }
        cpu += threads.getCurrentThreadCpuTime() - t0;
        return new Decisions(present, boxes, toTeacher, n - toTeacher, 0, dropped, cpu);
    }

    private Row row(Clip clip, String method, Decisions d, Decisions ref, List<Tracks.Track> events) {
        int presence = 0, byBoxes = 0;
        for (Tracks.Track e : events) {
            if (Tracks.foundByPresence(e, d.present())) presence++;
            if (Tracks.foundByBoxes(e, d.boxes(), d.present(), iou)) byBoxes++;
        }
        return new Row(clip.label(), method, d.present().length, d.toTeacher(), d.skipped(), d.byStudent(), d.dropped(),
                Confusion.perFrame(ref.present(), d.present()), Confusion.windows(ref.present(), d.present(), clip.windowFrames()),
                events.size(), presence, byBoxes, d.cpuNanos());
    }

    private String cascadeName(float[] b) {
        return String.format(Locale.ROOT, "cascade band %s:%s diff %s", num(b[0]), num(b[1]), num(tuning.difference()));
    }

    private String sampledName(double rate) {
        return String.format(Locale.ROOT, "teacher at %s/s + %s", num(rate), tracker.name().toLowerCase(Locale.ROOT));
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf((float) v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    /** A markdown table of rows; CPU relative to the "teacher every frame" row of the same clip when there is one. */
    static String table(List<Row> rows) {
        return table(rows, rows);
    }

    /** As above, CPU relative to the "teacher every frame" rows among {@code references}. */
    static String table(List<Row> rows, java.util.Collection<Row> references) {
        StringBuilder s = new StringBuilder();
        s.append("| clip | method | frames | to teacher | skipped/held | student | edge | FN frame | FP frame | FN 1 s | FP 1 s | events | recall presence | recall boxes | CPU ms/frame | CPU vs teacher |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Long> teacherCpu = new HashMap<>();
        for (Row r : references) if (r.method().equals(TEACHER_EVERY_FRAME)) teacherCpu.put(r.clip(), r.cpuNanos());
        for (Row r : rows) {
            Long t = teacherCpu.get(r.clip());
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %.2f | %s |%n",
                    r.clip(), r.method(), r.frames(), pct(r.teacherShare()), pct(r.skippedShare()), pct(r.studentShare()), pct(r.edgeShare()),
                    pct(r.perFrame().fnRate()), pct(r.perFrame().fpRate()), pct(r.perSecond().fnRate()), pct(r.perSecond().fpRate()),
                    r.events(), pct(r.eventRecall()), pct(r.eventRecallBoxes()), r.cpuMsPerFrame(),
                    t == null || t == 0 ? "–" : String.format(Locale.ROOT, "%.3f", r.cpuNanos() / (double) t)));
        }
        return s.toString();
    }

    static void write(Report r, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("clip,method,frames,to_teacher,skipped,by_student,dropped,"
                + "frame_tp,frame_fp,frame_fn,frame_tn,second_tp,second_fp,second_fn,second_tn,events,events_found_presence,events_found_boxes,cpu_ns\n");
        List<Row> all = new ArrayList<>(r.rows());
        all.addAll(r.totals().values());
        all.addAll(r.sweepTotals().values());
        for (Row x : all) {
            Confusion f = x.perFrame(), s = x.perSecond();
            csv.append(String.join(",", x.clip(), x.method(), String.valueOf(x.frames()), String.valueOf(x.toTeacher()), String.valueOf(x.skipped()),
                    String.valueOf(x.byStudent()), String.valueOf(x.dropped()), String.valueOf(f.tp()), String.valueOf(f.fp()), String.valueOf(f.fn()),
                    String.valueOf(f.tn()), String.valueOf(s.tp()), String.valueOf(s.fp()), String.valueOf(s.fn()), String.valueOf(s.tn()),
                    String.valueOf(x.events()), String.valueOf(x.foundByPresence()), String.valueOf(x.foundByBoxes()), String.valueOf(x.cpuNanos()))).append('\n');
        }
        Files.writeString(dir.resolve("cascade-eval.csv"), csv, StandardCharsets.UTF_8);
        List<Row> main = new ArrayList<>();
        for (Row x : r.rows()) if (!x.method().startsWith("sweep ")) main.add(x);
        main.addAll(r.totals().values());
        StringBuilder md = new StringBuilder(table(main));
        if (!r.sweepTotals().isEmpty()) {
            md.append("\nBand sweep, all clips pooled:\n\n").append(table(new ArrayList<>(r.sweepTotals().values()), r.totals().values()));
            md.append("\nCheapest band meeting the FN/FP goal: ").append(r.cheapestBand() == null ? "none" : r.cheapestBand()).append('\n');
        }
        Files.writeString(dir.resolve("cascade-eval.md"), md, StandardCharsets.UTF_8);
    }

    /** Keeps what the operator emitted for the current frame. */
    private static final class Last implements Collector<ScoredFrame> {
        ScoredFrame value;

        @Override
        public void collect(ScoredFrame record) {
            value = record;
        }

        @Override
        public void close() {}
    }
}
