package dev.winnow.flink.central;

import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The edge half of the central cascade, keyed by camera. Input 1 is the edge cascade's scored frames
 * ({@code CascadeScorer} built with {@code centralTeacher}); input 2 the central job's answers (the
 * teacher's verdicts, keyed by camera).
 * <ul>
 *   <li>A frame whose verdict is {@link Verdict#PENDING} (student score in the band) goes to
 *       {@link #REQUESTS} as a {@link TeacherRequest} and waits. When the teacher's answer arrives in
 *       time, the answer is the frame's verdict ({@link Verdict#TEACHER}); when it has not arrived
 *       {@code timeout} (processing time) after the frame, the student's verdict stands
 *       ({@link Verdict#STUDENT}) and {@code teacherTimeouts} counts it. An answer after that is
 *       counted as {@code teacherLateAnswers} and dropped.</li>
 *   <li>Frames of a camera leave in the order they came: a frame behind a waiting frame waits with
 *       it, so the retention filter downstream sees each camera in time order and decides with the
 *       teacher's answer. A camera's output is thus delayed by at most {@code timeout}.</li>
 *   <li>Of the frames dropped without the teacher (verdict count 0), a random {@code sampleFraction}
 *       also goes to {@link #REQUESTS}, marked as samples, for the central recall estimate; nothing
 *       waits for them. Every request carries the camera's totals so far (frames dropped without the
 *       teacher, frames kept), which the estimate scales the samples by.</li>
 * </ul>
 * Metrics (group {@code winnow}): {@code teacherRequests}, {@code dropSamples},
 * {@code teacherAnswers} (in time), {@code teacherOverrules} (the answer's presence differed from the
 * student's), {@code teacherTimeouts}, {@code teacherLateAnswers}.
 *
 * <p>When both inputs end (a bounded replay whose answers source ends after it, see
 * {@code FeedStop.end}), frames still waiting time out to their students' verdicts, counted, so
 * nothing is lost. The waiting frames are keyed state (checkpointed); after a restore their timers are restored
 * too, and answers that arrived meanwhile are re-read from the answers topic's committed offsets.
 * The answer's boxes are in the pixels of the (possibly downscaled) request; they are scaled back to
 * the frame's.
 *
 * <p>Not thread safe: one instance per subtask, as Flink runs it.
 */
public final class PendingVerdicts extends KeyedCoProcessFunction<String, ScoredFrame, Verdict, ScoredFrame> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TeacherRequest> REQUESTS = new OutputTag<>("teacher-requests") {};

    /** One frame in a camera's queue. A Flink POJO. */
    public static class Waiting {
        public ScoredFrame scored;
        public boolean pending;
        public long deadline;
        /** Frame pixels per request pixel, to scale the answer's boxes back. */
        public float boxScaleX = 1, boxScaleY = 1;

        public Waiting() {}
    }

    /** A camera's totals. A Flink POJO. */
    public static class Totals {
        public long dropped, kept;
        public int queued;

        public Totals() {}
    }

    private final Config config;
    private transient ListState<Waiting> queue;
    private transient ValueState<Totals> totals;
    private transient TeacherRequests requests;
    private transient SplittableRandom random;
    private transient Counter sent, samples, answers, overrules, timeouts, late;

    private PendingVerdicts(Config config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void open(OpenContext ctx) {
        queue = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", Waiting.class));
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", Totals.class));
        requests = new TeacherRequests(config.maxSide);
        random = new SplittableRandom(config.seed * 31 + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        sent = g.counter("teacherRequests");
        samples = g.counter("dropSamples");
        answers = g.counter("teacherAnswers");
        overrules = g.counter("teacherOverrules");
        timeouts = g.counter("teacherTimeouts");
        late = g.counter("teacherLateAnswers");
    }

    @Override
    public void processElement1(ScoredFrame s, Context ctx, Collector<ScoredFrame> out) throws Exception {
        Totals t = totals.value();
        if (t == null) t = new Totals();
        if (Verdict.PENDING.equals(s.verdict.decidedBy)) {
            Waiting w = new Waiting();
            w.scored = s;
            w.pending = true;
            w.deadline = ctx.timerService().currentProcessingTime() + config.timeoutMillis;
            TeacherRequest r = requests.request(s.frame, s.verdict, false, t.dropped, t.kept);
            w.boxScaleX = (float) s.frame.width / r.width;
            w.boxScaleY = (float) s.frame.height / r.height;
            ctx.output(REQUESTS, r);
            sent.inc();
            queue.add(w);
            t.queued++;
            ctx.timerService().registerProcessingTimeTimer(w.deadline);
            // at the end of both inputs the watermark jumps to MAX and this fires; processing-time timers not yet
            // due then would be dropped with their frames (the answers carry no watermarks, so it fires only then)
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        } else {
            if (s.verdict.count == 0) {
                t.dropped++;
                if (config.sampleFraction > 0 && random.nextDouble() < config.sampleFraction) {
                    ctx.output(REQUESTS, requests.request(s.frame, s.verdict, true, t.dropped, t.kept));
                    samples.inc();
                }
            }
            if (t.queued == 0) {
                emit(s, t, out);
            } else {
                Waiting w = new Waiting();
                w.scored = s;
                queue.add(w);
                t.queued++;
            }
        }
        totals.update(t);
    }

    @Override
    public void processElement2(Verdict answer, Context ctx, Collector<ScoredFrame> out) throws Exception {
        Totals t = totals.value();
        List<Waiting> all = new ArrayList<>();
        boolean found = false;
        if (t != null && t.queued > 0) {
            for (Waiting w : queue.get()) {
                if (!found && w.pending && w.scored.frame.seq == answer.seq) {
                    found = true;
                    answers.inc();
                    if ((answer.count > 0) != (w.scored.verdict.count > 0)) overrules.inc();
                    answer.decidedBy = Verdict.TEACHER;
                    scaleBoxes(answer, w.boxScaleX, w.boxScaleY);
                    w.scored = new ScoredFrame(w.scored.frame, answer);
                    w.pending = false;
                }
                all.add(w);
            }
        }
        if (!found) {
            late.inc();
            return;
        }
        drain(all, t, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredFrame> out) throws Exception {
        Totals t = totals.value();
        if (t == null || t.queued == 0) return;
        List<Waiting> all = new ArrayList<>();
        boolean end = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        for (Waiting w : queue.get()) {
            if (w.pending && (end || w.deadline <= timestamp)) {
                w.pending = false;
                w.scored.verdict.decidedBy = Verdict.STUDENT;
                timeouts.inc();
            }
            all.add(w);
        }
        drain(all, t, out);
    }

    /** Emits the decided frames at the head of the queue, keeps the rest. */
    private void drain(List<Waiting> all, Totals t, Collector<ScoredFrame> out) throws Exception {
        int head = 0;
        while (head < all.size() && !all.get(head).pending) emit(all.get(head++).scored, t, out);
        List<Waiting> rest = all.subList(head, all.size());
        queue.update(new ArrayList<>(rest));
        t.queued = rest.size();
        totals.update(t);
    }

    private static void emit(ScoredFrame s, Totals t, Collector<ScoredFrame> out) {
        if (s.verdict.count > 0) t.kept++;
        out.collect(s);
    }

    private static void scaleBoxes(Verdict v, float sx, float sy) {
        if (sx == 1 && sy == 1 || v.boxes == null) return;
        for (int i = 0; i + 4 < v.boxes.length; i += 5) {
            v.boxes[i] *= sx;
            v.boxes[i + 1] *= sy;
            v.boxes[i + 2] *= sx;
            v.boxes[i + 3] *= sy;
        }
    }

    private static final class Config implements Serializable {
        private static final long serialVersionUID = 1L;
        long timeoutMillis = 2_000;
        double sampleFraction = 0.01;
        int maxSide = 512;
        long seed = 1;
    }

    /** Builds {@link PendingVerdicts}; {@link #build} checks every field. */
    public static final class Builder {
        private final Config c = new Config();

        private Builder() {}

        /** How long a band frame waits for the teacher before its student's verdict stands (default 2 s). */
        public Builder timeout(Duration timeout) {
            c.timeoutMillis = timeout == null ? -1 : timeout.toMillis();
            return this;
        }

        /** The fraction of dropped frames sent as samples for the recall estimate (default 0.01; 0: none). */
        public Builder sampleFraction(double fraction) {
            c.sampleFraction = fraction;
            return this;
        }

        /** Raw frames are downscaled to at most this side before they are sent (default 512, the CenterNet teacher's input). */
        public Builder maxSide(int side) {
            c.maxSide = side;
            return this;
        }

        /** Seed of the sampling (per subtask: seed and subtask index); default 1. */
        public Builder seed(long seed) {
            c.seed = seed;
            return this;
        }

        public PendingVerdicts build() {
            StringBuilder bad = new StringBuilder();
            if (c.timeoutMillis <= 0) bad.append("the teacher timeout must be positive; ");
            if (!(c.sampleFraction >= 0 && c.sampleFraction <= 1)) bad.append("the drop sample fraction must be in [0, 1], is ").append(c.sampleFraction).append("; ");
            if (c.maxSide < 16) bad.append("the request's max side must be at least 16, is ").append(c.maxSide).append("; ");
            if (bad.length() > 0) throw new IllegalArgumentException("central teacher: " + bad.substring(0, bad.length() - 2));
            Config copy = new Config();
            copy.timeoutMillis = c.timeoutMillis;
            copy.sampleFraction = c.sampleFraction;
            copy.maxSide = c.maxSide;
            copy.seed = c.seed;
            return new PendingVerdicts(copy);
        }
    }
}
