package dev.winnow.flink.frames;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;

/**
 * The edge filter as NoScope and FilterForward build it: a difference detector, a cheap student, and
 * the teacher for the frames the student is unsure of.
 * <ol>
 *   <li>A frame whose thumbnail differs from the last scored frame of its camera by less than
 *       {@code difference} (mean absolute difference of the student's input, grey levels in [0, 1])
 *       repeats that frame's verdict ({@link Verdict#REUSED}), at most {@code maxReuse} times in a row.</li>
 *   <li>Otherwise the student scores it ({@link Verdict#STUDENT}).</li>
 *   <li>When the student's raw score ({@link Verdict#rawScore}: a detector's best anchor score, under its threshold
 *       too) falls inside {@code [bandLow, bandHigh]}, the teacher, loaded in the
 *       same subtask, scores the frame and its verdict is the one emitted ({@link Verdict#TEACHER}).
 *       With {@link Builder#centralTeacher} instead, such a frame leaves with the student's verdict
 *       marked {@link Verdict#PENDING}, for {@code dev.winnow.flink.central.PendingVerdicts} to ask
 *       the central teacher job and wait for its answer.</li>
 * </ol>
 * Metrics (group {@code winnow}): {@code framesReused}, {@code framesByStudent}, {@code framesByTeacher},
 * {@code teacherOverrules} (the teacher's presence differed from the student's), with the scoring
 * metrics of {@link FrameScorer}. The per-camera cache (last thumbnail and verdict) is not checkpointed:
 * after a restore the first frame of each camera is scored, which changes nothing but the work done.
 *
 * <p>Not thread safe: one instance per subtask, as Flink runs it.
 */
public final class CascadeScorer extends RichFlatMapFunction<Frame, ScoredFrame> {
    private static final long serialVersionUID = 1L;

    private final Config config;
    private transient FrameScoring student, teacher;
    private transient FrameMetrics metrics, teacherMetrics;
    private transient FrameDifference difference;
    private transient Map<String, CameraState> cameras;
    private transient Counter reused, byStudent, byTeacher, overrules;

    /** The last scored frame of one camera. */
    private static final class CameraState {
        final float[] thumb, scratch;
        Verdict last;
        int reusedInRow;

        CameraState(int n) {
            thumb = new float[n];
            scratch = new float[n];
        }
    }

    private CascadeScorer(Config config) {
        this.config = config;
    }

    public static Builder builder(ModelSource student) {
        return new Builder(student);
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        student = new FrameScoring(config.student.load(), config.student.version(), config.positiveLabel, config.maxPixels);
        teacher = config.teacher == null ? null : new FrameScoring(config.teacher.load(), config.teacher.version(), config.positiveLabel, config.maxPixels);
        metrics = new FrameMetrics(getRuntimeContext().getMetricGroup(), () -> student);
        // the teacher's scoring metrics (latency, malformed) apart from the student's, under "teacher"
        teacherMetrics = teacher == null ? null : new FrameMetrics(getRuntimeContext().getMetricGroup().addGroup("teacher"), () -> teacher);
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        reused = g.counter("framesReused");
        byStudent = g.counter("framesByStudent");
        byTeacher = g.counter("framesByTeacher");
        overrules = g.counter("teacherOverrules");
        difference = new FrameDifference(student.model().inputSpec().shape());
        cameras = new HashMap<>();
    }

    @Override
    public void flatMap(Frame f, Collector<ScoredFrame> out) {
        CameraState cam = cameras.computeIfAbsent(f.cameraId, k -> new CameraState(difference.size()));
        if (!metrics.prepare(student, f)) return;
        if (config.difference > 0 && cam.last != null && cam.reusedInRow < config.maxReuse) {
            difference.thumbnail(student.preparedInput(), cam.scratch);
            if (FrameDifference.meanAbsDifference(cam.scratch, cam.thumb) < config.difference) {
                cam.reusedInRow++;
                reused.inc();
                out.collect(new ScoredFrame(f, repeat(cam.last, f)));
                return;
            }
        }
        difference.thumbnail(student.preparedInput(), cam.thumb);
        ScoredFrame s = metrics.run(student, f);
        Verdict v = s.verdict;
        if (config.central && v.rawScore >= config.bandLow && v.rawScore <= config.bandHigh) {
            v.decidedBy = Verdict.PENDING;
            byTeacher.inc();
        } else if (teacher != null && v.rawScore >= config.bandLow && v.rawScore <= config.bandHigh) {
            ScoredFrame t = teacherMetrics.score(teacher, f);
            if (t != null) {
                t.verdict.decidedBy = Verdict.TEACHER;
                byTeacher.inc();
                if ((t.verdict.count > 0) != (v.count > 0)) overrules.inc();
                s = t;
            } else {
                byStudent.inc();
            }
        } else {
            byStudent.inc();
        }
        cam.last = s.verdict;
        cam.reusedInRow = 0;
        out.collect(s);
    }

    private static Verdict repeat(Verdict last, Frame f) {
        Verdict v = last.copy();
        v.cameraId = f.cameraId;
        v.seq = f.seq;
        v.timestampMillis = f.timestampMillis;
        v.decidedBy = Verdict.REUSED;
        return v;
    }

    /** The cascade's settings; made and checked by {@link Builder#build}. */
    private static final class Config implements Serializable {
        private static final long serialVersionUID = 1L;
        ModelSource student, teacher;
        boolean central;
        String positiveLabel = "person";
        float bandLow = Float.NaN, bandHigh = Float.NaN;
        float difference;
        int maxReuse = 25;
        long maxPixels = FramePreprocessor.DEFAULT_MAX_PIXELS;
    }

    /** Builds a {@link CascadeScorer}; {@link #build} checks every field and their combinations. */
    public static final class Builder {
        private final Config c = new Config();

        private Builder(ModelSource student) {
            c.student = student;
        }

        /** The teacher asked about the frames whose student score lies in {@code [low, high]}. */
        public Builder teacher(ModelSource teacher, float low, float high) {
            c.teacher = teacher;
            c.bandLow = low;
            c.bandHigh = high;
            return this;
        }

        /**
         * Frames whose student score lies in {@code [low, high]} go to the central teacher job: they
         * leave marked {@link Verdict#PENDING} for {@code PendingVerdicts}. Not with {@link #teacher}.
         */
        public Builder centralTeacher(float low, float high) {
            c.central = true;
            c.bandLow = low;
            c.bandHigh = high;
            return this;
        }

        /** Reuse the last verdict while the mean absolute thumbnail difference stays under {@code threshold} (0: off). */
        public Builder difference(float threshold, int maxReuse) {
            c.difference = threshold;
            c.maxReuse = maxReuse;
            return this;
        }

        public Builder positiveLabel(String label) {
            c.positiveLabel = label;
            return this;
        }

        public Builder maxPixels(long maxPixels) {
            c.maxPixels = maxPixels;
            return this;
        }

        public CascadeScorer build() {
            StringBuilder bad = new StringBuilder();
            if (c.student == null) bad.append("a student model is required; ");
            if (c.teacher != null && c.central) bad.append("the teacher is either in-process or central, not both; ");
            if ((c.teacher != null || c.central) && !(c.bandLow >= 0 && c.bandLow <= c.bandHigh && c.bandHigh <= 1)) {
                bad.append("the teacher band must satisfy 0 <= low <= high <= 1, is [").append(c.bandLow).append(", ").append(c.bandHigh).append("]; ");
            }
            if (!(c.difference >= 0 && c.difference < 1)) bad.append("the difference threshold must be in [0, 1), is ").append(c.difference).append("; ");
            if (c.maxReuse < 1) bad.append("maxReuse must be at least 1, is ").append(c.maxReuse).append("; ");
            if (c.maxPixels < 1) bad.append("maxPixels must be positive; ");
            if (c.positiveLabel == null || c.positiveLabel.isEmpty()) bad.append("a positive label is required; ");
            if (bad.length() > 0) throw new IllegalArgumentException("cascade: " + bad.substring(0, bad.length() - 2));
            try {
                // a copy, so that builder calls after build() do not change the built scorer
                return new CascadeScorer(InstantiationUtil.clone(c));
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot copy the cascade configuration", e);
            }
        }
    }
}
