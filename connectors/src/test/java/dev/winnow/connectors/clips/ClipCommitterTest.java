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

    static ClipCommittable clip(Path base, long event, long startMillis, long endMillis, int bytes) throws Exception {
        Path day = Files.createDirectories(base.resolve("camera=c/d"));
        Path f = Files.write(day.resolve("." + event + ".mp4.inprogress.x"), new byte[bytes]);
        ClipIndex.Row row = new ClipIndex.Row("c", event, "2023-11-14T00:00:00.000", "2023-11-14T00:00:10.000", 1, 1,
                "camera=c/d/" + event + ".mp4", bytes, bytes, startMillis, endMillis, startMillis, endMillis, 0, 0);
        return new ClipCommittable(f.toUri().toString(), day.resolve(event + ".mp4").toUri().toString(),
                base.resolve("camera=c/index.csv").toUri().toString(), row);
    }

    @Test
    void retentionDeletesClipsPastKeepDaysThenTheOldestOverBudgetAndLogsThem(@TempDir Path base) throws Exception {
        long day = 86_400_000L;
        ClipCommitter committer = new ClipCommitter(2 * day, 250);
        committer.commit(List.of(new Request(clip(base, 1, 0, 10_000, 100)), new Request(clip(base, 2, day + day / 2, day + day / 2 + 10_000, 100))));
        assertTrue(Files.exists(base.resolve("camera=c/d/1.mp4")), "within 2 days and within budget");
        committer.commit(List.of(new Request(clip(base, 3, 3 * day, 3 * day + 10_000, 100)), new Request(clip(base, 4, 3 * day + 20_000, 3 * day + 30_000, 100))));
        assertFalse(Files.exists(base.resolve("camera=c/d/1.mp4")), "ended more than 2 days before the newest");
        assertFalse(Files.exists(base.resolve("camera=c/d/2.mp4")), "the oldest left while 300 bytes > 250");
        assertTrue(Files.exists(base.resolve("camera=c/d/3.mp4")) && Files.exists(base.resolve("camera=c/d/4.mp4")));
        var rows = ClipIndex.read(new org.apache.flink.core.fs.Path(base.resolve("camera=c/index.csv").toUri()));
        assertEquals(List.of(3L, 4L), rows.stream().map(ClipIndex.Row::eventId).toList());
        List<String> deleted = Files.readAllLines(base.resolve("camera=c/deleted.csv"));
        assertEquals(3, deleted.size(), deleted.toString());
        assertTrue(deleted.get(1).startsWith("c,1,") && deleted.get(1).endsWith("older than PT48H"), deleted.get(1));
        assertTrue(deleted.get(2).startsWith("c,2,") && deleted.get(2).endsWith("over the camera's budget of 250 bytes"), deleted.get(2));
    }

    @Test
    void aNonPositiveRetentionIsRefusedByTheBuilder(@TempDir Path base) {
        var b = ClipSink.builder(new org.apache.flink.core.fs.Path(base.toUri())).retention(java.time.Duration.ZERO, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("keep must be positive") && e.getMessage().contains("byte budget must be positive"), e.getMessage());
    }

    @Test
    void theThumbnailIsCommittedWithItsClipOnceAndLeavesWithIt(@TempDir Path base) throws Exception {
        Path day = Files.createDirectories(base.resolve("camera=c/d"));
        FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        Path orphanThumb = Files.writeString(day.resolve(".0.jpg.inprogress.old"), "thumbnail of a clip written before a failure");
        Files.setLastModifiedTime(orphanThumb, before);
        ClipCommittable plain = clip(base, 1, 0, 10_000, 100);
        Path thumb = Files.write(day.resolve(".1.jpg.inprogress.y"), new byte[] {(byte) 0xff, (byte) 0xd8});
        Files.setLastModifiedTime(thumb, before);
        ClipCommittable c = new ClipCommittable(plain.inProgress(), plain.target(), plain.index(), plain.row(),
                thumb.toUri().toString(), ClipCommittable.thumbnailOf(plain.target()));
        assertEquals(day.resolve("1.jpg").toUri().toString(), c.thumbTarget());
        ClipCommitter committer = new ClipCommitter(Long.MAX_VALUE, 150);
        committer.commit(List.of(new Request(c)));
        assertTrue(Files.exists(day.resolve("1.mp4")) && Files.exists(day.resolve("1.jpg")), "clip and thumbnail under their final names");
        assertFalse(Files.exists(thumb));
        assertFalse(Files.exists(orphanThumb), "an in-progress thumbnail no committable names is an orphan like a clip");
        committer.commit(List.of(new Request(c)));   // replayed after a restore
        assertTrue(Files.exists(day.resolve("1.jpg")));
        assertEquals(1, ClipIndex.read(new org.apache.flink.core.fs.Path(base.resolve("camera=c/index.csv").toUri())).size());

        var ser = new ClipCommittable.Serializer();
        assertEquals(c, ser.deserialize(ser.getVersion(), ser.serialize(c)));
        ClipCommittable noThumb = clip(base, 9, 0, 1, 1);
        assertFalse(ser.deserialize(ser.getVersion(), ser.serialize(noThumb)).hasThumbnail());
        org.apache.flink.core.memory.DataOutputSerializer v1 = new org.apache.flink.core.memory.DataOutputSerializer(64);
        v1.writeUTF(c.inProgress());
        v1.writeUTF(c.target());
        v1.writeUTF(c.index());
        v1.writeUTF(c.row().toCsv());
        assertEquals(new ClipCommittable(c.inProgress(), c.target(), c.index(), c.row()), ser.deserialize(1, v1.getCopyOfBuffer()),
                "a checkpoint from before thumbnails restores");

        committer.commit(List.of(new Request(clip(base, 2, 20_000, 30_000, 100))));   // 200 bytes > 150: clip 1 goes
        assertFalse(Files.exists(day.resolve("1.mp4")));
        assertFalse(Files.exists(day.resolve("1.jpg")), "the retention policy deletes the thumbnail with its clip");
    }
}
