package dev.winnow.flink.central;

import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.frames.MalformedFrameException;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.TeacherAnswer;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central side of the cascade: runs the teacher (any frame model {@link FrameScoring} serves; the
 * CenterNet teacher {@code models/teacher/centernet.wnm} is a model-runtime graph, so the central job
 * needs only model-runtime and the artifact) on the edges' requests, band frames and samples of
 * dropped frames alike.
 *
 * <p>A request the teacher cannot take is skipped, counted and logged in one line, and the job goes
 * on: no pixels ({@code requestsEmpty}), a raw frame whose byte count disagrees with its size
 * ({@code requestsWrongSize}), or pixels the preprocessor refuses (bad JPEG, over the pixel budget:
 * {@code requestsMalformed}). The edge then times out on a skipped band frame and keeps its
 * student's verdict. Also counted (group {@code winnow}): {@code bandFramesAnswered} and
 * {@code samplesScored}. Boxes are in the request's (downscaled) pixels; the edge scales them back.
 *
 * <p>Not thread safe: one instance per subtask, as Flink runs it.
 */
public final class CentralTeacher extends RichFlatMapFunction<TeacherRequest, TeacherAnswer> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CentralTeacher.class);

    private final ModelSource teacher;
    private final String positiveLabel;
    private transient FrameScoring scoring;
    private transient Counter empty, wrongSize, malformed, answered, sampled;

    public CentralTeacher(ModelSource teacher, String positiveLabel) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.positiveLabel = Objects.requireNonNull(positiveLabel, "positiveLabel");
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        scoring = new FrameScoring(teacher.load(), teacher.version(), positiveLabel);
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        empty = g.counter("requestsEmpty");
        wrongSize = g.counter("requestsWrongSize");
        malformed = g.counter("requestsMalformed");
        answered = g.counter("bandFramesAnswered");
        sampled = g.counter("samplesScored");
    }

    @Override
    public void flatMap(TeacherRequest r, Collector<TeacherAnswer> out) {
        if (r.data == null || r.data.length == 0) {
            empty.inc();
            LOG.warn("skipping teacher request {}#{}: no pixels", r.cameraId, r.seq);
            return;
        }
        long expected = r.encoding == FrameEncoding.GRAY8 ? (long) r.width * r.height
                : r.encoding == FrameEncoding.RGB24 ? 3L * r.width * r.height : -1;
        if (r.width <= 0 || r.height <= 0 || expected >= 0 && expected != r.data.length) {
            wrongSize.inc();
            LOG.warn("skipping teacher request {}#{}: {} {}x{} needs {} bytes, has {}", r.cameraId, r.seq, r.encoding, r.width, r.height,
                    expected, r.data.length);
            return;
        }
        try {
            scoring.prepare(r.frame());   // OversizedFrameException is a MalformedFrameException
        } catch (MalformedFrameException e) {
            malformed.inc();
            LOG.warn("skipping teacher request {}#{}: {}", r.cameraId, r.seq, e.getMessage());
            return;
        }
        TeacherAnswer a = new TeacherAnswer();
        a.verdict = scoring.score(r.frame()).verdict;
        a.verdict.decidedBy = Verdict.TEACHER;
        a.sample = r.sample;
        a.edgeDropped = r.edgeDropped;
        a.edgeKept = r.edgeKept;
        a.studentCount = r.studentCount;
        a.studentModel = r.studentModel;
        a.studentVersion = r.studentVersion;
        (r.sample ? sampled : answered).inc();
        out.collect(a);
    }
}
