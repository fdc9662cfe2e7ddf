package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.io.CentralCascade;
import dev.winnow.examples.io.CentralTeacherOptions;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.frames.CascadeScorer;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.runtime.testing.TinyCnn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The edge's teacher requests when the broker goes away mid-run: the job fails with an error that
 * names the teacher topic, and it reaches its terminal state, so no task is left sending to a dead
 * broker. It has a MiniCluster of its own: a task that could not be cancelled would take its
 * TaskManager down, and it must not take other tests' jobs with it.
 */
class CentralBrokerGoneTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    static final long T0 = System.currentTimeMillis() / 1000 * 1000;

    @Test
    void theBrokerGoingAwayFailsTheEdgeWithAClearErrorAndTheJobEnds() throws Exception {
        ModelSource tinyStudent = ModelSource.ofBytes(new TinyCnn(1, 24, 32).float32Artifact(), 3);
        List<Frame> many = new ArrayList<>();
        for (int k = 0; k < 400; k++) many.add(new Frame("gate", k, T0 + k * 200, FrameEncoding.GRAY8, 64, 48, new byte[64 * 48]));
        CentralTeacherOptions o = new CentralTeacherOptions();
        new CommandLine(o).parseArgs("--teacher-topic", "req-gone", "--teacher-answers-topic", "ans-gone", "--teacher-timeout", "PT0.2S", "--drop-sample", "0");
        CascadeScorer scorer = CascadeScorer.builder(tinyStudent).positiveLabel("a").centralTeacher(0f, 1f).build();
        StreamExecutionEnvironment env = TestJobs.env(1);
        CloseableIterator<ScoredFrame> verdicts;
        JobClient job;
        try (KafkaBroker doomed = new KafkaBroker()) {
            doomed.createTopic("req-gone", 1);
            doomed.createTopic("ans-gone", 1);
            DataStream<ScoredFrame> scored = env.fromData(TypeInformation.of(Frame.class), many.toArray(new Frame[0])).uid("frames")
                    .map(f -> { Thread.sleep(20); return f; }).uid("pace")   // a camera's pace, so the job still runs when the broker goes
                    .flatMap(scorer).uid("cascade");
            DataStream<ScoredFrame> resolved = CentralCascade.resolve(env, scored, doomed.bootstrap(), "edge-gone", o, Duration.ofSeconds(3), null);
            verdicts = resolved.collectAsync();
            job = env.executeAsync("edge broker gone");
            assertTrue(verdicts.hasNext(), "a first verdict while the broker is up");
            verdicts.next();
        }
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> job.getJobExecutionResult().get(120, TimeUnit.SECONDS), "the job fails once the broker is gone");
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) chain.append(t).append(" <- ");
            System.out.println("broker gone: " + chain);
            assertTrue(chain.toString().contains("req-gone"), "the error names the teacher topic: " + chain);
            assertEquals(JobStatus.FAILED, job.getJobStatus().get(10, TimeUnit.SECONDS));
        } finally {
            verdicts.close();
        }
    }
}
