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
 * The second phase of {@link ClipSink}: renames each clip from its in-progress name to its final
 * name and adds its row to the camera's index, both idempotently, so a commit replayed after a
 * restore changes nothing.
 *
 * <p>Orphans: a writer that failed after writing a clip but before the checkpoint leaves its hidden
 * in-progress file behind; the clip is written again after the restore under a new name. At its
 * first commit (which, after a restore, includes the committables restored from the checkpoint) the
 * committer deletes the in-progress files in the folders it commits to that are older than itself
 * and not named by a committable. Not thread safe: one per subtask.
 */
final class ClipCommitter implements Committer<ClipCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ClipCommitter.class);
    static final String IN_PROGRESS = ".inprogress.";

    private final long startedMillis = System.currentTimeMillis();
    private boolean orphansCleaned;

    @Override
    public void commit(Collection<CommitRequest<ClipCommittable>> requests) throws IOException {
        if (!orphansCleaned && !requests.isEmpty()) {
            orphansCleaned = true;
            deleteOrphans(requests);
        }
        for (CommitRequest<ClipCommittable> r : requests) {
            ClipCommittable c = r.getCommittable();
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
            Path index = new Path(c.index());
            List<ClipIndex.Row> rows = new ArrayList<>(ClipIndex.read(index));
            if (rows.stream().noneMatch(x -> x.eventId() == c.row().eventId() && x.clip().equals(c.row().clip()))) {
                rows.add(c.row());
                rows.sort(java.util.Comparator.comparingLong(ClipIndex.Row::startMillis));
                ClipIndex.write(index, rows);
            }
        }
    }

    private void deleteOrphans(Collection<CommitRequest<ClipCommittable>> requests) throws IOException {
        java.util.Set<String> named = new java.util.HashSet<>();
        java.util.Set<Path> dirs = new java.util.HashSet<>();
        for (CommitRequest<ClipCommittable> r : requests) {
            named.add(new Path(r.getCommittable().inProgress()).getName());
            dirs.add(new Path(r.getCommittable().inProgress()).getParent());
        }
        for (Path dir : dirs) {
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir)) continue;
            for (var st : fs.listStatus(dir)) {
                String name = st.getPath().getName();
                if (!name.startsWith(".") || !name.contains(IN_PROGRESS) || named.contains(name)) continue;
                if (st.getModificationTime() >= startedMillis) continue;   // this attempt's writer: not an orphan
                if (fs.delete(st.getPath(), false)) LOG.warn("deleted orphaned in-progress clip {} (written before a failure, never committed)", st.getPath());
            }
        }
    }

    @Override
    public void close() {}
}
