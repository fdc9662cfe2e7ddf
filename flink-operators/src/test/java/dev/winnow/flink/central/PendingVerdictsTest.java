package dev.winnow.flink.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.TeacherRequest;
import dev.winnow.flink.types.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * PendingVerdicts on Flink's operator harness, with processing time set by hand: camera order behind a
 * waiting frame, the answer deciding (boxes scaled back from the downscaled request), the timeout, a
 * late answer, the frames still waiting at the end of input, and the samples of dropped frames with
 * the edge's totals.
 */
class PendingVerdictsTest {
    static ScoredFrame frame(long seq, String decidedBy, int count, int w, int h) {
        Frame f = new Frame("c", seq, 10_000 + seq * 200, FrameEncoding.GRAY8, w, h, new byte[w * h]);
        Verdict v = new Verdict();
        v.cameraId = "c";
        v.seq = seq;
        v.timestampMillis = f.timestampMillis;
        v.score = count > 0 ? 0.9f : decidedBy.equals(Verdict.PENDING) ? 0.4f : 0.05f;
        v.count = count;
        v.boxes = new float[5 * count];
        v.modelName = "student";
        v.modelVersion = 1;
        v.decidedBy = decidedBy;
        return new ScoredFrame(f, v);
    }

    static Verdict answer(long seq, int count) {
        Verdict v = new Verdict();
        v.cameraId = "c";
        v.seq = seq;
        v.timestampMillis = 10_000 + seq * 200;
        v.count = count;
        v.score = 0.8f;
        v.boxes = count > 0 ? new float[] {10, 20, 30, 40, 0.8f} : new float[0];
        v.modelName = "centernet-teacher";
        v.modelVersion = 1;
        v.decidedBy = Verdict.TEACHER;
        return v;
    }

    @Test
    void framesWaitInOrderForTheAnswerThenTimeOut() throws Exception {
        PendingVerdicts fn = PendingVerdicts.builder().timeout(Duration.ofMillis(500)).sampleFraction(1).maxSide(512).build();
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<String, ScoredFrame, Verdict, ScoredFrame>(new KeyedCoProcessOperator<>(fn),
                s -> s.frame.cameraId, v -> v.cameraId, Types.STRING)) {
            h.open();
            h.setProcessingTime(0);
            h.processElement1(new StreamRecord<>(frame(0, Verdict.STUDENT, 1, 64, 48)));      // kept: out at once
            h.processElement1(new StreamRecord<>(frame(1, Verdict.PENDING, 0, 1024, 768)));   // unsure: waits, request sent at 512x384
            h.processElement1(new StreamRecord<>(frame(2, Verdict.STUDENT, 0, 64, 48)));      // dropped: sampled, waits behind 1
            h.processElement1(new StreamRecord<>(frame(3, Verdict.STUDENT, 1, 64, 48)));      // waits behind 1
            assertEquals(List.of(0L), seqs(h.extractOutputValues()));
            h.processElement2(new StreamRecord<>(answer(1, 2)));                               // the teacher overrules: a person
            List<ScoredFrame> out = h.extractOutputValues();
            assertEquals(List.of(0L, 1L, 2L, 3L), seqs(out), "camera order kept");
            Verdict v1 = out.get(1).verdict;
            assertEquals(Verdict.TEACHER, v1.decidedBy);
            assertEquals(2, v1.count);
            assertArrayEquals(new float[] {20, 40, 60, 80, 0.8f}, v1.boxes, "boxes from the 512x384 request back to 1024x768");

            h.setProcessingTime(1_000);
            h.processElement1(new StreamRecord<>(frame(4, Verdict.PENDING, 0, 64, 48)));
            h.setProcessingTime(1_499);
            assertEquals(4, h.extractOutputValues().size(), "still waiting");
            h.setProcessingTime(1_500);
            out = h.extractOutputValues();
            assertEquals(5, out.size());
            assertEquals(Verdict.STUDENT, out.get(4).verdict.decidedBy, "timed out: the student's verdict stands");
            assertEquals("student", out.get(4).verdict.modelName);
            h.processElement2(new StreamRecord<>(answer(4, 1)));                               // late: dropped
            assertEquals(5, h.extractOutputValues().size());

            h.processElement1(new StreamRecord<>(frame(5, Verdict.PENDING, 0, 64, 48)));
            h.processElement1(new StreamRecord<>(frame(6, Verdict.STUDENT, 1, 64, 48)));
            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));                                // both inputs ended
            out = h.extractOutputValues();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), seqs(out), "nothing lost at the end");
            assertEquals(Verdict.STUDENT, out.get(5).verdict.decidedBy);

            List<TeacherRequest> requests = new ArrayList<>();
            h.getSideOutput(PendingVerdicts.REQUESTS).forEach(r -> requests.add(r.getValue()));
            assertEquals(4, requests.size(), "three unsure frames and one sample: " + requests);
            TeacherRequest r1 = requests.get(0);
            assertEquals(1, r1.seq);
            assertTrue(!r1.sample && r1.width == 512 && r1.height == 384 && r1.data.length == 512 * 384, r1.toString());
            TeacherRequest s2 = requests.get(1);
            assertTrue(s2.sample && s2.seq == 2, s2.toString());
            assertEquals(1, s2.edgeDropped, "frame 2 itself");
            assertEquals(1, s2.edgeKept, "frame 0; frame 1 had not been decided yet");
            TeacherRequest r5 = requests.get(3);
            assertEquals(5, r5.seq);
            assertEquals(3, r5.edgeKept, "frames 0, 1 (by the teacher) and 3");
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PendingVerdicts.builder().timeout(Duration.ZERO).sampleFraction(1.5).maxSide(4).build());
        assertTrue(e.getMessage().contains("timeout") && e.getMessage().contains("fraction") && e.getMessage().contains("side"), e.getMessage());
    }

    static List<Long> seqs(List<ScoredFrame> out) {
        List<Long> s = new ArrayList<>();
        for (ScoredFrame f : out) s.add(f.frame.seq);
        return s;
    }
}
