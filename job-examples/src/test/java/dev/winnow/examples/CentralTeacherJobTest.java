package dev.winnow.examples;

import dev.winnow.examples.io.Samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.examples.testing.TestJobs;
import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.report.CentralReport;
import dev.winnow.examples.io.CentralCascade;
import dev.winnow.examples.io.CentralTeacherOptions;
import dev.winnow.examples.testing.CountingReporter;
import dev.winnow.flink.frames.CascadeScorer;
import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ZoneEvents;
import dev.winnow.flink.zone.ZoneConfig;
import dev.winnow.examples.io.ZoneFile;
import dev.winnow.runtime.testing.RepoRoot;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.testing.TinyCnn;
import dev.winnow.tools.teacher.TeacherModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import dev.winnow.examples.report.RetentionReport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The central cascade over a real in-process KRaft broker on a MiniCluster: the edge's unsure frames
 * go to the central teacher job and its answers decide them; a missing answer times out to the
 * student's verdict; the central job's recall estimate on a constructed sample, the flag of a camera
 * under the floor, bad requests skipped and counted, and the edges' verdicts and events aggregated
 * across cameras into zones. The broker going away is {@link CentralBrokerGoneTest}'s, on its own cluster.
 */
class CentralTeacherJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(CountingReporter.configure(new Configuration()), 4);

    /**
     * Frame times near now: the broker's time-based retention (7 days) deletes records stamped in the
     * distant past at its first retention check, 30 s after it starts.
     */
    static final long T0 = System.currentTimeMillis() / 1000 * 1000;

    @TempDir static Path tmp;
    static KafkaBroker broker;
    static Path teacher;
    static ModelSource shippedStudent, tinyStudent;
    static List<Frame> vtest;

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker();
        teacher = tmp.resolve("teacher.wnm");
        TeacherModels.importTo(RepoRoot.path().resolve(TeacherModels.SOURCE), teacher);
        shippedStudent = ModelSource.ofPath(RepoRoot.path().resolve("model-tools/detector/person-detector-int8.wnm"), 1);
        // a real CNN with random weights whose label "a" stands in for "person": it disagrees with the teacher
        tinyStudent = ModelSource.ofBytes(new TinyCnn(1, 24, 32).float32Artifact(), 3);
        vtest = frames();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    /** Four vtest frames (pedestrians, 384x288 RGB) and two black ones, of camera "plaza". */
    static List<Frame> frames() throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi", "-frames:v", "4",
                "-vf", "scale=384:288", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").start();
        byte[] all = p.getInputStream().readAllBytes();
        p.waitFor();
        int n = 384 * 288 * 3;
        assertEquals(4 * n, all.length, "four vtest frames decoded");
        List<Frame> out = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            byte[] d = k < 4 ? java.util.Arrays.copyOfRange(all, k * n, (k + 1) * n) : new byte[n];
            out.add(new Frame("plaza", k, T0 + k * 200, FrameEncoding.RGB24, 384, 288, d));
        }
        return out;
    }

    static StreamExecutionEnvironment env(int parallelism) {
        return TestJobs.env(parallelism);
    }

    /**
     * Starts the central teacher job {@code central-<n>} on topics {@code req-<n>} (requests), {@code ans-<n>}
     * (answers) and {@code adapt-<n>}, with its outputs under {@code tmp/central-<n>}; cancel it when done.
     */
    static JobClient startCentral(String n) throws Exception {
        CentralTeacherJob job = new CentralTeacherJob();
        new CommandLine(job).parseArgs("--kafka", broker.bootstrap(), "--group", "central-" + n, "--requests-topic", "req-" + n, "--answers-topic", "ans-" + n,
                "--adapt-topic", "adapt-" + n, "--teacher", teacher.toString(), "--out", tmp.resolve("central-" + n).toString());
        StreamExecutionEnvironment env = env(1);
        job.build(env);
        return env.executeAsync("central-" + n);
    }

    static CentralTeacherOptions options(String... args) {
        CentralTeacherOptions o = new CentralTeacherOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    /** The edge: frames, the cascade with a central teacher, the pending verdicts. */
    static DataStream<ScoredFrame> edge(StreamExecutionEnvironment env, List<Frame> frames, CascadeScorer scorer, CentralTeacherOptions o, String group,
                                        Duration sendTimeout) {
        DataStream<ScoredFrame> scored = env.fromData(TypeInformation.of(Frame.class), frames.toArray(new Frame[0])).uid("frames")
                .flatMap(scorer).uid("cascade");
        return CentralCascade.resolve(env, scored, broker.bootstrap(), group, o, sendTimeout, null);
    }

    static List<ScoredFrame> collect(DataStream<ScoredFrame> s, String job, int n) throws Exception {
        List<ScoredFrame> out = new ArrayList<>();
        // the answers source never ends, so the edge job is stopped (closing the iterator cancels it) once every frame is out
        try (CloseableIterator<ScoredFrame> it = s.executeAndCollect(job)) {
            while (out.size() < n && it.hasNext()) out.add(it.next());
        }
        return out;
    }

    static void await(LongSupplier value, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (value.getAsLong() != expected && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals(expected, value.getAsLong(), what);
    }

    static boolean present(ModelSource model, String label, Frame f) throws Exception {
        FrameScoring s = new FrameScoring(model.load(), model.version(), label);
        s.prepare(f);
        return s.score(f).verdict.count > 0;
    }

    @Test
    void bandFramesRoundTripAndTheTeacherOverrulesTheStudent() throws Exception {
        broker.createTopic("req-1", 2);
        broker.createTopic("ans-1", 2);
        JobClient central = startCentral("1");
        try {
            // every frame in the band; downscaled to 256 on the wire, so the answer's boxes are scaled back
            CentralTeacherOptions o = options("--teacher-topic", "req-1", "--teacher-answers-topic", "ans-1", "--teacher-timeout", "PT90S",
                    "--drop-sample", "0", "--teacher-max-side", "256");
            CascadeScorer scorer = CascadeScorer.builder(tinyStudent).positiveLabel("a").centralTeacher(0f, 1f).build();
            List<ScoredFrame> out = collect(edge(env(1), vtest, scorer, o, "edge-1", Duration.ofSeconds(30)), "edge round trip", vtest.size());

            assertEquals(vtest.size(), out.size());
            int expectedOverrules = 0;
            boolean beyond = false;
            for (int k = 0; k < out.size(); k++) {
                Verdict v = out.get(k).verdict;
                assertEquals(k, out.get(k).frame.seq, "frames leave in camera order");
                assertEquals(Verdict.TEACHER, v.decidedBy, v.toString());
                assertEquals("centernet-teacher", v.modelName);
                if (k < 4) {
                    assertTrue(v.count >= 3, "the teacher sees the pedestrians: " + v);
                    for (int b = 0; b < v.count; b++) {
                        float x = v.boxes[5 * b], y = v.boxes[5 * b + 1], w = v.boxes[5 * b + 2], h = v.boxes[5 * b + 3];
                        assertTrue(x >= 0 && y >= 0 && x + w <= 384.5 && y + h <= 288.5, "boxes in the 384x288 frame's pixels: " + v);
                    }
                    for (int b = 0; b < v.count; b++) beyond |= v.boxes[5 * b] + v.boxes[5 * b + 2] > 260 || v.boxes[5 * b + 1] + v.boxes[5 * b + 3] > 196;
                } else {
                    assertEquals(0, v.count, "nobody in a black frame: " + v);
                }
                if (present(tinyStudent, "a", vtest.get(k)) != v.count > 0) expectedOverrules++;
            }
            assertTrue(beyond, "some box lies beyond the 256x192 request: boxes are in the frame's pixels");
            assertTrue(expectedOverrules > 0, "the stand-in student disagrees with the teacher somewhere");
            assertEquals(expectedOverrules, CountingReporter.sum("edge round trip", "winnow.teacherOverrules"));
            assertEquals(vtest.size(), CountingReporter.sum("edge round trip", "winnow.teacherAnswers"));
            assertEquals(0, CountingReporter.sum("edge round trip", "winnow.teacherTimeouts"));
            assertEquals(vtest.size(), CountingReporter.sum("central-1", "winnow.bandFramesAnswered"));
        } finally {
            central.cancel().get();
        }
    }

    @Test
    void aMissingAnswerTimesOutToTheStudentVerdictAndIsCounted() throws Exception {
        broker.createTopic("req-2", 1);
        broker.createTopic("ans-2", 1);
        // no central job: nobody answers. Raw scores of 0.3 and over are unsure; the rest (the black frames) are dropped, and all of those are sampled
        CentralTeacherOptions o = options("--teacher-topic", "req-2", "--teacher-answers-topic", "ans-2", "--teacher-timeout", "PT0.5S", "--drop-sample", "1");
        CascadeScorer scorer = CascadeScorer.builder(shippedStudent).centralTeacher(0.3f, 1f).build();
        List<ScoredFrame> out = new ArrayList<>();
        try (CloseableIterator<ScoredFrame> it = edge(env(1), vtest, scorer, o, "edge-2", Duration.ofSeconds(30)).executeAndCollect("edge timeout")) {
            while (out.size() < vtest.size() && it.hasNext()) out.add(it.next());
            // an answer after the timeout is counted as late and changes nothing
            Verdict late = new Verdict();
            late.cameraId = "plaza";
            late.seq = 0;
            late.timestampMillis = T0;
            late.modelName = "centernet-teacher";
            late.modelVersion = 1;
            late.count = 9;
            late.decidedBy = Verdict.TEACHER;
            broker.send("ans-2", List.of(new ProducerRecord<>("ans-2", "plaza".getBytes(), AvroFormat.VERDICT.encode(late))));
            await(() -> CountingReporter.sum("edge timeout", "winnow.teacherLateAnswers"), 1, "the late answer counted");
        }
        assertEquals(vtest.size(), out.size(), "every frame decided: " + out);
        int band = 0, dropped = 0;
        for (int k = 0; k < out.size(); k++) {
            Verdict v = out.get(k).verdict;
            assertEquals(k, out.get(k).frame.seq, "camera order kept");
            assertEquals(Verdict.STUDENT, v.decidedBy, "the student's verdict stands: " + v);
            assertEquals("person-detector-int8", v.modelName);
            if (v.rawScore >= 0.3f) band++;
            else dropped++;
        }
        assertEquals(2, dropped, "the two black frames");
        assertEquals(band, CountingReporter.sum("edge timeout", "winnow.teacherTimeouts"), "every unsure frame timed out, counted");
        assertEquals(0, CountingReporter.sum("edge timeout", "winnow.teacherAnswers"));

        List<ConsumerRecord<byte[], byte[]>> sent = broker.readCommitted("req-2", vtest.size(), Duration.ofSeconds(1));
        assertEquals(vtest.size(), sent.size(), "a request per unsure frame and a sample per dropped frame");
        long samples = 0, lastDropped = 0;
        for (ConsumerRecord<byte[], byte[]> r : sent) {
            TeacherRequest q = AvroFormat.TEACHER_REQUEST.decode(r.value());
            assertEquals("plaza", new String(r.key()));
            assertEquals(384 * 288 * 3, q.data.length, "384x288 is under the 512 side: sent as it is");
            if (q.sample) {
                samples++;
                assertEquals(0, q.studentCount);
                assertTrue(q.edgeDropped > lastDropped, "the dropped total grows with each sample: " + q);
                lastDropped = q.edgeDropped;
            }
        }
        assertEquals(2, samples);
        assertEquals(2, lastDropped);
    }

    @Test
    void recallIntervalFlagAndBadRequestsInTheCentralJob() throws Exception {
        broker.createTopic("req-3", 2);
        broker.createTopic("ans-3", 1);
        broker.createTopic("adapt-3", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Frame black = new Frame("x", 0, 0, FrameEncoding.GRAY8, 64, 48, new byte[64 * 48]);
        // "street": 3 misses (vtest frames: the teacher finds people) in 10 samples; the edge kept 10 frames and dropped 2000
        for (int k = 0; k < 10; k++) records.add(record("req-3", request("street", k, k < 3 ? vtest.get(k) : black, true, 2000, 10)));
        // "lot": no miss in 8 samples
        for (int k = 0; k < 8; k++) records.add(record("req-3", request("lot", k, black, true, 2000, 1000)));
        // bad band requests: no pixels, and a GRAY8 10x10 with 50 bytes; then one good one
        TeacherRequest empty = request("lot", 100, black, false, 2000, 1000);
        empty.data = new byte[0];
        TeacherRequest wrong = request("lot", 101, black, false, 2000, 1000);
        wrong.width = 10;
        wrong.height = 10;
        wrong.data = new byte[50];
        records.add(record("req-3", empty));
        records.add(record("req-3", wrong));
        records.add(record("req-3", request("lot", 102, vtest.get(3), false, 2000, 1000)));
        broker.send("req-3", records);

        Path out = tmp.resolve("central-3");
        CentralTeacherJob job = new CentralTeacherJob();
        new CommandLine(job).parseArgs("--kafka", broker.bootstrap(), "--kafka-bounded",
                "--group", "central-3", "--requests-topic", "req-3", "--answers-topic", "ans-3", "--adapt-topic", "adapt-3", "--teacher", teacher.toString(),
                "--recall-floor", "0.9", "--out", out.toString());
        StreamExecutionEnvironment env = env(2);
        job.build(env);
        env.execute("central-3 bounded");

        // the bad requests are skipped and counted, and the job went on: every sample and the good band frame were scored
        assertEquals(1, CountingReporter.sum("central-3", "winnow.requestsEmpty"));
        assertEquals(1, CountingReporter.sum("central-3", "winnow.requestsWrongSize"));
        assertEquals(18, CountingReporter.sum("central-3", "winnow.samplesScored"));
        assertEquals(1, CountingReporter.sum("central-3", "winnow.bandFramesAnswered"));
        List<ConsumerRecord<byte[], byte[]>> answers = broker.readCommitted("ans-3", 1, Duration.ofSeconds(1));
        assertEquals(1, answers.size(), "one answer, for the good band frame");
        Verdict a = AvroFormat.VERDICT.decode(answers.get(0).value());
        assertEquals(102, a.seq);
        assertTrue(a.count >= 3, a.toString());

        // street, by hand: p = 3/10; Wilson (z = 1.96): z²/n = 0.384146, denominator 1.384146,
        // centre (0.3 + 0.192073) / 1.384146 = 0.355505, half 1.416016 · √(0.021 + 0.009604) = 0.247715 → p in [0.107791, 0.603222]
        // recall = 10 / (10 + 2000 p): point 10 / 610 = 0.016393, interval [10 / 1216.44, 10 / 225.58] = [0.008221, 0.044330]
        CentralReport report = CentralReport.read(out, 0.9, "upper");
        var street = report.cameras().get("street");
        assertEquals(10, street.samples());
        assertEquals(3, street.misses());
        assertEquals(0.016393, street.recall(), 1e-6);
        assertEquals(0.008221, street.lower(), 1e-6);
        assertEquals(0.044330, street.upper(), 1e-6);
        assertTrue(street.flagged(), "upper bound 0.0443 under the floor 0.9");
        // lot: no miss in 8; p in [0, z²/(8 + z²)] = [0, 0.324408]; the upper bound is 1, the lower 1000 / (1000 + 648.815) = 0.606496
        var lot = report.cameras().get("lot");
        assertEquals(8, lot.samples());
        assertEquals(1.0, lot.recall());
        assertEquals(0.606496, lot.lower(), 1e-6);
        assertFalse(lot.flagged());

        assertEquals(0.016393, (Double) CountingReporter.gauge("central-3", "camera.street.recallEstimate"), 1e-6);
        assertEquals(0.044330, (Double) CountingReporter.gauge("central-3", "camera.street.recallUpper"), 1e-6);
        assertEquals(10L, CountingReporter.gauge("central-3", "camera.street.recallSamples"));
        assertEquals(1, CountingReporter.gauge("central-3", "camera.street.recallFlagged"));
        assertEquals(0, CountingReporter.gauge("central-3", "camera.lot.recallFlagged"));
        assertEquals(1, CountingReporter.sum("central-3", "winnow.camerasFlagged"));

        // one adapt request, on the first miss (1 of 1: upper 10 / (10 + 2000 · 0.206549) = 0.023635), exactly once on Kafka
        List<ConsumerRecord<byte[], byte[]>> adapt = broker.readCommitted("adapt-3", 1, Duration.ofSeconds(1));
        assertEquals(1, adapt.size());
        AdaptRequest r = AvroFormat.ADAPT_REQUEST.decode(adapt.get(0).value());
        assertEquals("street", r.cameraId);
        assertEquals(1, r.samples);
        assertEquals(0.023635, r.upper, 1e-6);
        assertEquals("tiny:3", r.studentModel);
        assertEquals(1, report.adaptRequests());
        String html = Files.readString(job.writeReport(out));
        assertTrue(html.contains("street") && html.contains("flagged") && html.contains("[0.0082, 0.0443]"), html);
    }

    @Test
    void securityRetentionDecidesWithTheCentralTeachersAnswersAndEnds(@TempDir Path out) throws Exception {
        // the sample cameras' frames are stamped in 2023: keep them past the broker's 7-day time-based retention
        keptTopic("req-5", 2);
        keptTopic("ans-5", 2);
        JobClient centralJob = startCentral("5");
        try {
            SecurityRetentionJob job = new SecurityRetentionJob();
            new CommandLine(job).parseArgs("--out", out.toString(),
                    "--bootstrap", broker.bootstrap(), "--group", "edge-5", "--teacher-topic", "req-5", "--teacher-answers-topic", "ans-5",
                    "--teacher-band", "0.3:0.9", "--teacher-timeout", "PT60S", "--drop-sample", "0.1");
            job.useSamplesIfNoCamera();
            StreamExecutionEnvironment env = env(2);
            job.build(env);
            env.execute("security-retention central");   // ends by itself: the answers source ends after the cameras

            RetentionReport report = RetentionReport.read(out, job.retention());
            Map<String, Integer> by = new TreeMap<>();
            for (RetentionReport.Decision d : report.decisions()) by.merge(d.decidedBy(), 1, Integer::sum);
            assertEquals(154, report.total().frames(), "every frame decided once: " + by);
            long answered = CountingReporter.sum("security-retention central", "winnow.teacherAnswers");
            String counts = "requests " + CountingReporter.sum("security-retention central", "winnow.teacherRequests") + ", answers " + answered
                    + ", timeouts " + CountingReporter.sum("security-retention central", "winnow.teacherTimeouts") + ", late "
                    + CountingReporter.sum("security-retention central", "winnow.teacherLateAnswers") + ", samples "
                    + CountingReporter.sum("security-retention central", "winnow.dropSamples") + "; central answered "
                    + CountingReporter.sum("central-5", "winnow.bandFramesAnswered") + ", scored samples " + CountingReporter.sum("central-5", "winnow.samplesScored");
            System.out.println("central cascade: " + counts + " " + by);
            assertTrue(answered > 0, "some frames were unsure and answered: " + counts + " " + by);
            assertEquals(answered, (long) by.getOrDefault(Verdict.TEACHER, 0), "the retention verdicts are the teacher's answers: " + by);
            assertEquals(0, CountingReporter.sum("security-retention central", "winnow.teacherTimeouts"));
            assertEquals(report.total().labelledPerson(), report.total().keptPerson(), "no frame with people lost");
            assertTrue(CountingReporter.sum("security-retention central", "winnow.dropSamples") > 0, "samples of the dropped frames went to the central job");
        } finally {
            centralJob.cancel().get();
        }
    }

    @Test
    void whicheverJobStartsFirstCreatesTheTeacherTopics(@TempDir Path out) throws Exception {
        // the central job first: it makes its requests and answers topics
        CentralTeacherJob central = new CentralTeacherJob();
        new CommandLine(central).parseArgs("--kafka", broker.bootstrap(), "--requests-topic", "req-7", "--answers-topic", "ans-7",
                "--teacher", teacher.toString(), "--out", out.resolve("central").toString());
        central.build(env(1));
        // the edge first: it makes them too, and its answers start at the new topic's beginning
        SecurityRetentionJob edge = new SecurityRetentionJob();
        new CommandLine(edge).parseArgs("--out", out.resolve("edge").toString(), "--camera", "plaza=" + Samples.dir().resolve("frames").resolve("plaza"),
                "--kafka", broker.bootstrap(), "--teacher-topic", "req-8", "--teacher-answers-topic", "ans-8", "--teacher-band", "0.25:0.6");
        edge.build(env(1));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            assertTrue(admin.listTopics().names().get().containsAll(List.of("req-7", "ans-7", "req-8", "ans-8")), admin.listTopics().names().get().toString());
        }
    }

    @Test
    void badOptionsAreRefusedWithOneClearLine(@TempDir Path out) {
        SecurityRetentionJob noKafka = new SecurityRetentionJob();
        String camera = "plaza=" + Samples.dir().resolve("frames").resolve("plaza");
        new CommandLine(noKafka).parseArgs("--out", out.toString(), "--camera", camera, "--teacher-topic", "req-6");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noKafka.build(env(1)));
        assertEquals("--teacher-topic needs --kafka (or --bootstrap)", e.getMessage());

        SecurityRetentionJob both = new SecurityRetentionJob();
        new CommandLine(both).parseArgs("--out", out.toString(), "--camera", camera, "--teacher-topic", "req-6", "--kafka", broker.bootstrap(), "--teacher", teacher.toString());
        e = assertThrows(IllegalArgumentException.class, () -> both.build(env(1)));
        assertEquals("--teacher and --teacher-topic: choose the in-process or the central teacher", e.getMessage());

        CentralTeacherJob sideways = new CentralTeacherJob();
        new CommandLine(sideways).parseArgs("--kafka", broker.bootstrap(), "--teacher", teacher.toString(), "--flag-on", "sideways", "--out", out.toString());
        e = assertThrows(IllegalArgumentException.class, () -> sideways.build(env(1)));
        assertEquals("--flag-on must be upper or point, is sideways", e.getMessage());

        CentralTeacherJob noTeacher = new CentralTeacherJob();
        new CommandLine(noTeacher).parseArgs("--kafka", broker.bootstrap(), "--teacher", out.resolve("missing.wnm").toString(), "--out", out.toString());
        e = assertThrows(IllegalArgumentException.class, () -> noTeacher.build(env(1)));
        assertTrue(e.getMessage().startsWith("no teacher artifact"), e.getMessage());
    }

    /** A topic whose records stay whatever their time stamps. */
    static void keptTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1")))).all().get();
        }
    }

    static TeacherRequest request(String camera, long seq, Frame f, boolean sample, long dropped, long kept) {
        TeacherRequest r = new TeacherRequest();
        r.cameraId = camera;
        r.seq = seq;
        r.timestampMillis = T0 + 200_000 + seq * 200;
        r.encoding = f.encoding;
        r.width = f.width;
        r.height = f.height;
        r.data = f.data;
        r.sample = sample;
        r.studentScore = 0;
        r.studentCount = 0;
        r.studentModel = "tiny";
        r.studentVersion = 3;
        r.edgeDropped = dropped;
        r.edgeKept = kept;
        return r;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, TeacherRequest r) {
        return new ProducerRecord<>(topic, r.cameraId.getBytes(), AvroFormat.TEACHER_REQUEST.encode(r));
    }

    static Verdict countOf(String camera, long seq, long at, int count) {
        Verdict v = new Verdict();
        v.cameraId = camera;
        v.seq = seq;
        v.timestampMillis = at;
        v.count = count;
        v.score = count > 0 ? 0.9f : 0f;
        v.rawScore = v.score;
        v.modelName = "person-detector-int8";
        v.modelVersion = 1;
        return v;
    }

    static RetentionEvent event(String camera, long id, long start, long end, int peak, long kept) {
        RetentionEvent e = new RetentionEvent();
        e.cameraId = camera;
        e.eventId = id;
        e.startMillis = start;
        e.endMillis = end;
        e.peakCount = peak;
        e.peakScore = 0.9f;
        e.framesKept = kept;
        e.modelVersion = 1;
        return e;
    }

    /**
     * Three edge cameras in the stadium sample's two zones (north-1 and north-2 in concourse-north,
     * south-1 in concourse-south, 2 s windows) and one camera in no zone: their verdicts and events on
     * Kafka, the central job's zone windows on Kafka and in its report, every figure worked out by hand.
     */
    @Test
    void zonesAggregateTheEdgesVerdictsAndEventsAcrossCameras(@TempDir Path out) throws Exception {
        broker.createTopic("req-7", 1);
        broker.createTopic("edge-verdicts-7", 2);
        broker.createTopic("edge-events-7", 2);
        broker.createTopic("zone-counts-7", 1);
        broker.createTopic("zone-events-7", 1);
        long b = T0 / 2000 * 2000 + 2000;   // a window boundary
        // people on each camera's floor at 0, 1, 2 and 3 s; lobby is in no zone
        int[][] counts = {{2, 4, 4, 1}, {3, 3, 6, 6}, {1, 1, 0, 2}};
        String[] cams = {"north-1", "north-2", "south-1"};
        List<ProducerRecord<byte[], byte[]>> verdicts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            for (int c = 0; c < 3; c++) {
                verdicts.add(new ProducerRecord<>("edge-verdicts-7", cams[c].getBytes(), AvroFormat.VERDICT.encode(countOf(cams[c], t, b + t * 1000L, counts[c][t]))));
            }
            if (t == 1) verdicts.add(new ProducerRecord<>("edge-verdicts-7", "lobby".getBytes(), AvroFormat.VERDICT.encode(countOf("lobby", 1, b + 1000, 9))));
        }
        broker.send("edge-verdicts-7", verdicts);
        List<RetentionEvent> events = List.of(event("north-1", 1, b, b + 1500, 4, 8), event("lobby", 1, b, b + 1600, 9, 3),
                event("north-2", 1, b + 500, b + 1800, 3, 7), event("north-1", 2, b + 2500, b + 3500, 2, 5), event("south-1", 1, b + 2100, b + 3900, 2, 9));
        List<ProducerRecord<byte[], byte[]>> eventRecords = new ArrayList<>();
        for (RetentionEvent e : events) eventRecords.add(new ProducerRecord<>("edge-events-7", e.cameraId.getBytes(), AvroFormat.RETENTION_EVENT.encode(e)));
        broker.send("edge-events-7", eventRecords);

        CentralTeacherJob job = new CentralTeacherJob();
        new CommandLine(job).parseArgs("--kafka", broker.bootstrap(), "--kafka-bounded", "--group", "central-7", "--requests-topic", "req-7",
                "--answers-topic", "ans-7", "--adapt-topic", "adapt-7", "--teacher", teacher.toString(), "--out", out.toString(),
                "--zones", Samples.dir().resolve("frames/concourse/zones.yaml").toString(), "--edge-verdicts-topic", "edge-verdicts-7",
                "--edge-events-topic", "edge-events-7", "--zone-counts-topic", "zone-counts-7", "--zone-events-topic", "zone-events-7");
        TestJobs.executeWithExplicitUids("central-7", 2, job::build);

        // occupancy = sum of the zone's cameras' latest counts, time-weighted over each 2 s window
        List<String> zoneCounts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted("zone-counts-7", 4, Duration.ofSeconds(1))) {
            zoneCounts.add(dev.winnow.examples.report.StaffingReport.windowLine(AvroFormat.ZONE_COUNT.decode(r.value())).replace(Long.toString(b), "B")
                    .replace(Long.toString(b + 2000), "B+2000").replace(Long.toString(b + 4000), "B+4000"));
        }
        java.util.Collections.sort(zoneCounts);
        assertEquals(List.of(
                "concourse-north,B+2000,B+4000,8.5000,10,false,3,false",   // 10 for 1 s, then 7 for 1 s; staff ceil(10 / 4)
                "concourse-north,B,B+2000,6.0000,7,false,2,false",         // 2+3 for 1 s, then 4+3
                "concourse-south,B+2000,B+4000,1.0000,2,false,1,false",    // 0 for 1 s, then 2
                "concourse-south,B,B+2000,1.0000,1,false,1,false"), zoneCounts);
        // events by the window they ended in; lobby's is in no zone
        List<String> zoneEvents = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readCommitted("zone-events-7", 3, Duration.ofSeconds(1))) {
            zoneEvents.add(CentralReport.zoneEventsLine(AvroFormat.ZONE_EVENTS.decode(r.value())).replace(Long.toString(b + 2000) + ",", "B+2000,")
                    .replace(Long.toString(b + 4000) + ",", "B+4000,").replace(Long.toString(b) + ",", "B,"));
        }
        java.util.Collections.sort(zoneEvents);
        assertEquals(List.of(
                "concourse-north,B+2000,B+4000,1,1,2,5",
                "concourse-north,B,B+2000,2,2,4,15",
                "concourse-south,B+2000,B+4000,1,1,2,9"), zoneEvents);
        assertEquals(2, CountingReporter.sum("central-7", "winnow.outsideZones"), "lobby's verdict and event");

        // the report sums the same windows
        CentralReport report = CentralReport.read(out, 0.95, "upper");
        assertEquals(new CentralReport.Zone("concourse-north", 2, 7.25, 10, 3, 0, 2, 3, 4, 20), report.zones().get("concourse-north"));
        assertEquals(new CentralReport.Zone("concourse-south", 2, 1.0, 2, 1, 0, 1, 1, 2, 9), report.zones().get("concourse-south"));
        String summary = report.summary();
        System.out.print(summary);
        assertTrue(summary.contains("concourse-north  2 windows, mean occupancy 7.25, peak 10, staff up to 3, overcrowded in 0; 3 person events in 2 windows, "
                + "peak 4 people, 20 frames kept"), summary);
        assertTrue(Files.readString(job.writeReport(out)).contains("Zones across cameras"));
    }

    @Test
    void zoneOptionsWithoutTheirPartnersAreRefused() throws Exception {
        CentralTeacherJob noTopics = new CentralTeacherJob();
        new CommandLine(noTopics).parseArgs("--kafka", broker.bootstrap(), "--teacher", teacher.toString(),
                "--zones", Samples.dir().resolve("frames/concourse/zones.yaml").toString());
        assertEquals("--zones needs --edge-verdicts-topic or --edge-events-topic",
                assertThrows(IllegalArgumentException.class, () -> noTopics.build(env(1))).getMessage());
        CentralTeacherJob noZones = new CentralTeacherJob();
        new CommandLine(noZones).parseArgs("--kafka", broker.bootstrap(), "--teacher", teacher.toString(), "--edge-verdicts-topic", "v");
        assertEquals("--edge-verdicts-topic, --edge-events-topic, --zone-counts-topic and --zone-events-topic need --zones",
                assertThrows(IllegalArgumentException.class, () -> noZones.build(env(1))).getMessage());
    }

    /** The watermark right behind each event's end, so a test fixes which events are late. */
    static final class WatermarkAtEachEvent implements WatermarkGenerator<RetentionEvent> {
        @Override
        public void onEvent(RetentionEvent e, long t, WatermarkOutput out) {
            out.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(e.endMillis - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    /**
     * An event that reaches the central job after the watermark closed its window is not counted in
     * that (already emitted) window, nor lost: it comes out on the late side output, which the job
     * writes to {@code zone-events-late}. The watermark follows each event here, so which one is late is fixed.
     */
    @Test
    void anEventAfterItsWindowClosedIsLeftOutOfTheCountAndKept() throws Exception {
        ZoneConfig config = ZoneFile.read(Samples.dir().resolve("frames/concourse/zones.yaml"));
        long b = T0 / 2000 * 2000;
        RetentionEvent[] in = {event("north-1", 1, b, b + 500, 3, 4), event("north-2", 1, b + 100, b + 900, 5, 6),
                event("north-1", 2, b + 6000, b + 9000, 1, 2), event("north-2", 2, b + 200, b + 1500, 7, 9)};
        StreamExecutionEnvironment env = TestJobs.envWithExplicitUids(1);
        DataStream<RetentionEvent> events = env.fromData(TypeInformation.of(RetentionEvent.class), in).uid("events")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<RetentionEvent>forGenerator(c -> new WatermarkAtEachEvent())
                        .withTimestampAssigner((e, t) -> e.endMillis)).uid("event-time");
        SingleOutputStreamOperator<ZoneEvents> perZone = CentralTeacherJob.zoneEvents(events, config);
        DataStream<String> lines = perZone.map(CentralReport::zoneEventsLine).uid("lines")
                .union(perZone.getSideOutput(CentralTeacherJob.LATE_EVENTS).map(e -> "late " + e.cameraId + "#" + e.eventId).uid("late-lines"));
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it = lines.executeAndCollect("zone events late")) {
            it.forEachRemaining(got::add);
        }
        java.util.Collections.sort(got);
        assertEquals(List.of(
                "concourse-north," + b + "," + (b + 2000) + ",2,2,5,10",        // north-2's second event is not in it
                "concourse-north," + (b + 8000) + "," + (b + 10000) + ",1,1,1,2",
                "late north-2#2"), got);
    }
}
