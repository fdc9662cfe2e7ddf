package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.clips.ClipPipelineTest.Schedule;
import dev.winnow.flink.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import dev.winnow.flink.types.ClipRequest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the clip sink (a Flink file system whose writes fail past a byte budget): the job
 * fails with an error that says which clip and why, the half-written clip is deleted rather than
 * committed, and the clip committed before stays in the index and plays to the end.
 *
 * <p>"Committed before" must not depend on timing: a clip is committed only when a checkpoint completes
 * after it was written, and on a busy machine the second clip's write (which fills the disk and fails
 * the job) can come first, leaving nothing committed. So {@link CommitGate} hands a clip request to the
 * sink only once every clip it handed over before is in the index, and the camera loops its file (up
 * to {@link #MAX_FRAMES} frames) so that the job is still running whenever the gate opens.
 */
class FullDiskTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    /** Ten passes of the 30 s clip: events only in the first (Schedule), the rest keeps the job alive for the gate. */
    static final long MAX_FRAMES = 1_500;

    @AfterEach
    void unlimited() {
        QuotaFileSystem.LEFT.set(Long.MAX_VALUE);
    }

    @Test
    void aFullDiskFailsWithAClearErrorAndLeavesTheCommittedClipPlayable(@TempDir Path tmp) throws Exception {
        Path video = Videos.h264(tmp, 30);
        Path out = tmp.resolve("out");
        QuotaFileSystem.LEFT.set(1_000_000);     // the first clip (about 750 KB) and its index row fit, the second does not
        Exception e = assertThrows(Exception.class, () -> ClipPipelineTest.run(video, "quota://" + out, tmp.resolve("spool"),
                new Schedule(5, 8, 20, 23), null, 15, Duration.ZERO,
                cam -> cam.inputOptions("-stream_loop", "-1").maxFrames(MAX_FRAMES),
                requests -> requests.keyBy(r -> r.event.cameraId).process(new CommitGate(out.toUri().toString())).uid("commit-gate")),
                "the second clip fills the disk and fails the job");
        String chain = ExceptionUtils.stringifyException(e);
        assertTrue(chain.contains("clip sink: cannot write clip") && chain.contains("No space left on device")
                && chain.contains("failing instead of leaving a broken clip"), chain.substring(0, Math.min(chain.length(), 3000)));
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        assertEquals(List.of(1L), rows.stream().map(ClipIndex.Row::eventId).toList(), "only the clip that fitted was committed");
        Path clip = out.resolve(rows.get(0).clip());
        assertEquals(Files.size(clip), rows.get(0).bytes());
        Videos.assertPlayable(clip);
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".inprogress.")).toList(),
                    "the half-written clip was deleted");
        }
    }

    /**
     * Holds each clip request until every event this camera's gate forwarded before is in the index under
     * {@code base}, polling every 50 ms on a processing-time timer (never blocking, so checkpoints go on).
     */
    static final class CommitGate extends KeyedProcessFunction<String, ClipRequest, ClipRequest> {
        private final String base;
        private transient ListState<ClipRequest> held;
        private transient ListState<Long> forwarded;

        CommitGate(String base) {
            this.base = base;
        }

        @Override
        public void open(OpenContext context) {
            held = getRuntimeContext().getListState(new ListStateDescriptor<>("held", ClipRequest.class));
            forwarded = getRuntimeContext().getListState(new ListStateDescriptor<>("forwarded", Long.class));
        }

        @Override
        public void processElement(ClipRequest r, Context ctx, Collector<ClipRequest> out) throws Exception {
            held.add(r);
            release(ctx.timerService(), out);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClipRequest> out) throws Exception {
            release(ctx.timerService(), out);
        }

        private void release(TimerService timers, Collector<ClipRequest> out) throws Exception {
            List<ClipRequest> waiting = new ArrayList<>();
            held.get().forEach(waiting::add);
            if (waiting.isEmpty()) return;
            Set<Long> committed = new HashSet<>();
            for (ClipIndex.Row row : ClipIndex.readAll(new org.apache.flink.core.fs.Path(base))) committed.add(row.eventId());
            for (Long id : forwarded.get()) {
                if (!committed.contains(id)) {
                    timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 50);
                    return;
                }
            }
            ClipRequest next = waiting.remove(0);
            forwarded.add(next.event.eventId);
            held.update(waiting);
            out.collect(next);
            if (!waiting.isEmpty()) timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 50);
        }
    }
}
