package dev.winnow.connectors.clips;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second phase of {@link ClipSink}: renames each clip (and its thumbnail, if any) from its
 * in-progress name to its final name and adds its row to the camera's index, all idempotently, so a commit replayed after a
 * restore changes nothing.
 *
 * <p>Orphans: a writer that failed after writing a clip but before the checkpoint leaves its hidden
 * in-progress file behind; the clip is written again after the restore under a new name. At its
 * first commit (which, after a restore, includes the committables restored from the checkpoint) the
 * committer deletes the in-progress files in the folders it commits to that were last written more
 * than 2 s before it started and are not named by a committable. Not thread safe: one per subtask.
 */
final class ClipCommitter implements Committer<ClipCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ClipCommitter.class);
    static final String IN_PROGRESS = ".inprogress.";
    static final long ORPHAN_MARGIN_MILLIS = 2_000;

    private final long startedMillis = System.currentTimeMillis();
    private boolean orphansCleaned;
    private final long keepMillis;
    private final long maxBytes;

    ClipCommitter() {
        this(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    ClipCommitter(long keepMillis, long maxBytes) {
        this.keepMillis = keepMillis;
        this.maxBytes = maxBytes;
    }

    @Override
    public void commit(Collection<CommitRequest<ClipCommittable>> requests) throws IOException {
        if (!orphansCleaned && !requests.isEmpty()) {
            orphansCleaned = true;
            deleteOrphans(requests);
        }
        java.util.Set<String> indexes = new java.util.TreeSet<>();
        for (CommitRequest<ClipCommittable> r : requests) {
            ClipCommittable c = r.getCommittable();
            indexes.add(c.index());
            Path from = new Path(c.inProgress()), to = new Path(c.target());
            FileSystem fs = to.getFileSystem();
            if (fs.exists(from)) {
                if (fs.exists(to)) fs.delete(to, false);
                if (!fs.rename(from, to)) {
                    r.retryLater();
                    continue;
                }
            } else if (!fs.exists(to)) {
                LOG.error("clip {}: neither it nor its in-progress file {} exists; dropping the commit", to, from);
                r.signalFailedWithKnownReason(new IOException("in-progress clip " + from + " is gone"));
                continue;
            }
            if (c.hasThumbnail()) commitThumbnail(c);
            Path index = new Path(c.index());
            List<ClipIndex.Row> rows = new ArrayList<>(ClipIndex.read(index));
            if (rows.stream().noneMatch(x -> x.eventId() == c.row().eventId() && x.clip().equals(c.row().clip()))) {
                rows.add(c.row());
                rows.sort(java.util.Comparator.comparingLong(ClipIndex.Row::startMillis));
                ClipIndex.write(index, rows);
            }
        }
        if (keepMillis != Long.MAX_VALUE || maxBytes != Long.MAX_VALUE) {
            for (String index : indexes) enforceRetention(new Path(index));
        }
    }

    /**
     * Renames the thumbnail before the clip's row enters the index, so a reader of the index finds it.
     * A thumbnail is a picture of the clip, not the clip: when it is gone the clip is committed without it.
     */
    private static void commitThumbnail(ClipCommittable c) throws IOException {
        Path from = new Path(c.thumbInProgress()), to = new Path(c.thumbTarget());
        FileSystem fs = to.getFileSystem();
        if (fs.exists(from)) {
            if (fs.exists(to)) fs.delete(to, false);
            if (!fs.rename(from, to)) throw new IOException("cannot rename thumbnail " + from + " to " + to);
        } else if (!fs.exists(to)) {
            LOG.warn("clip {}: its thumbnail {} is gone; committing the clip without it", c.target(), from);
        }
    }

    /** Applies keep-days and the byte budget to one camera's index (see {@link ClipSink.Builder#retention}). */
    private void enforceRetention(Path index) throws IOException {
        List<ClipIndex.Row> rows = new ArrayList<>(ClipIndex.read(index));
        if (rows.isEmpty()) return;
        rows.sort(java.util.Comparator.comparingLong(ClipIndex.Row::startMillis));
        long newest = rows.stream().mapToLong(ClipIndex.Row::endMillis).max().getAsLong();
        long total = rows.stream().mapToLong(ClipIndex.Row::bytes).sum();
        List<String> deleted = new ArrayList<>();
        List<ClipIndex.Row> gone = new ArrayList<>();
        java.util.Iterator<ClipIndex.Row> it = rows.iterator();
        while (it.hasNext()) {
            ClipIndex.Row row = it.next();
            String reason = keepMillis != Long.MAX_VALUE && newest - row.endMillis() > keepMillis ? "older than " + java.time.Duration.ofMillis(keepMillis)
                    : total > maxBytes ? "over the camera's budget of " + maxBytes + " bytes" : null;
            if (reason == null) continue;
            gone.add(row);
            LOG.info("retention: deleting clip {} of camera {} ({} bytes): {}", row.clip(), row.camera(), row.bytes(), reason);
            deleted.add(row.toCsv() + "," + reason.replace(',', ' '));
            total -= row.bytes();
            it.remove();
        }
        if (deleted.isEmpty()) return;
        ClipIndex.write(index, rows);     // first the index, so no row ever points at a deleted clip
        Path log = new Path(index.getParent(), "deleted.csv");
        FileSystem fs = log.getFileSystem();
        StringBuilder all = new StringBuilder();
        if (fs.exists(log)) {
            try (var in = fs.open(log)) {
                all.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } else {
            all.append(ClipIndex.HEADER).append(",reason\n");
        }
        for (String d : deleted) all.append(d).append('\n');
        Path tmp = new Path(log.getParent(), ".deleted.csv.tmp-" + java.util.UUID.randomUUID());
        try (var out = fs.create(tmp, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (fs.exists(log)) fs.delete(log, false);
        if (!fs.rename(tmp, log)) throw new IOException("cannot rename " + tmp + " to " + log);
        for (ClipIndex.Row row : gone) {
            Path clip = new Path(index.getParent().getParent(), row.clip());
            if (clip.getFileSystem().exists(clip) && !clip.getFileSystem().delete(clip, false)) {
                throw new IOException("retention: cannot delete " + clip);
            }
            Path thumb = new Path(index.getParent().getParent(), ClipCommittable.thumbnailOf(row.clip()));
            if (thumb.getFileSystem().exists(thumb) && !thumb.getFileSystem().delete(thumb, false)) {
                throw new IOException("retention: cannot delete " + thumb);
            }
        }
    }

    private void deleteOrphans(Collection<CommitRequest<ClipCommittable>> requests) throws IOException {
        java.util.Set<String> named = new java.util.HashSet<>();
        java.util.Set<Path> dirs = new java.util.HashSet<>();
        for (CommitRequest<ClipCommittable> r : requests) {
            named.add(new Path(r.getCommittable().inProgress()).getName());
            if (r.getCommittable().hasThumbnail()) named.add(new Path(r.getCommittable().thumbInProgress()).getName());
            dirs.add(new Path(r.getCommittable().inProgress()).getParent());
        }
        for (Path dir : dirs) {
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir)) continue;
            for (var st : fs.listStatus(dir)) {
                String name = st.getPath().getName();
                if (!name.startsWith(".") || !name.contains(IN_PROGRESS) || named.contains(name)) continue;
                // this attempt's writer, or too close to tell (file times are coarser than the clock): not an orphan
                if (st.getModificationTime() >= startedMillis - ORPHAN_MARGIN_MILLIS) continue;
                if (fs.delete(st.getPath(), false)) LOG.warn("deleted orphaned in-progress clip {} (written before a failure, never committed)", st.getPath());
            }
        }
    }

    @Override
    public void close() {}
}
