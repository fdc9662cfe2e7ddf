package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.clips.ClipPipelineTest.Schedule;
import dev.winnow.flink.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
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
 */
class FullDiskTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

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
                new Schedule(5, 8, 20, 23), null, 15, Duration.ZERO));
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
}
