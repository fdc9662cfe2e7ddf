package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer's orphan rule: hidden in-progress clips older than it and named by no committable go; the rest stay. */
class ClipCommitterTest {
    record Request(ClipCommittable c) implements Committer.CommitRequest<ClipCommittable> {
        @Override public ClipCommittable getCommittable() { return c; }
        @Override public int getNumberOfRetries() { return 0; }
        @Override public void signalFailedWithKnownReason(Throwable t) { fail(t); }
        @Override public void signalFailedWithUnknownReason(Throwable t) { fail(t); }
        @Override public void retryLater() { fail("retry"); }
        @Override public void updateAndRetryLater(ClipCommittable c) { fail("retry"); }
        @Override public void signalAlreadyCommitted() {}
    }

    @Test
    void anOrphanedInProgressClipIsDeletedAtTheFirstCommitAndTheRestoredOneIsCommitted(@TempDir Path base) throws Exception {
        Path day = Files.createDirectories(base.resolve("camera=c/2023-11-14"));
        FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        Path orphan = Files.writeString(day.resolve(".22-13-20_1.mp4.inprogress.aaaa"), "written, then the job failed");
        Path restored = Files.writeString(day.resolve(".22-13-40_2.mp4.inprogress.bbbb"), "in the checkpoint");
        Files.setLastModifiedTime(orphan, before);
        Files.setLastModifiedTime(restored, before);
        ClipCommitter committer = new ClipCommitter();
        Path fresh = Files.writeString(day.resolve(".22-14-00_3.mp4.inprogress.cccc"), "this attempt's writer, not committed yet");
        ClipIndex.Row row = new ClipIndex.Row("c", 2, "2023-11-14T22:13:40.000", "2023-11-14T22:13:50.000", 1, 1,
                "camera=c/2023-11-14/22-13-40_2.mp4", 17, 17, 0, 10_000, 0, 10_000, 0, 0);
        committer.commit(List.of(new Request(new ClipCommittable(restored.toUri().toString(), day.resolve("22-13-40_2.mp4").toUri().toString(),
                base.resolve("camera=c/index.csv").toUri().toString(), row))));
        assertFalse(Files.exists(orphan), "older than the committer and in no committable: an orphan");
        assertTrue(Files.exists(day.resolve("22-13-40_2.mp4")), "the restored committable is committed");
        assertTrue(Files.exists(fresh), "written after the committer started: left for its own commit");
        assertEquals(1, ClipIndex.read(new org.apache.flink.core.fs.Path(base.resolve("camera=c/index.csv").toUri())).size());
    }
}
