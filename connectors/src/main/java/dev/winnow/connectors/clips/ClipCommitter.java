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
 * restore changes nothing. Not thread safe: one per subtask.
 */
final class ClipCommitter implements Committer<ClipCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ClipCommitter.class);

    @Override
    public void commit(Collection<CommitRequest<ClipCommittable>> requests) throws IOException {
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

    @Override
    public void close() {}
}
