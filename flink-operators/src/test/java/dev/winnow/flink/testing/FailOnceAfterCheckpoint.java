package dev.winnow.flink.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.util.function.FunctionWithException;

/**
 * A pass-through map that throws once, at the first record after a checkpoint of its subtask completed,
 * so that a test sees a restore from a real checkpoint mid-stream. A marker file remembers the failure
 * across the restart (the function's own fields start fresh); the test asserts the marker exists, so a
 * run that ended before any checkpoint cannot pass as "recovered". {@code delayMillis} slows each record,
 * so that checkpoints complete while the stream is still running. With {@link #armedBy} only checkpoints
 * that complete once the test has created that file count, so the failure comes after what the test waits
 * for (a model swap, say).
 */
public final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private final String marker;
    private final long delayMillis;
    private String armed;
    private transient boolean checkpointed;

    public FailOnceAfterCheckpoint(Path marker, long delayMillis) {
        this.marker = marker.toString();
        this.delayMillis = delayMillis;
    }

    /**
     * Runs a test's job with the failure injected (marker {@code dir/failed-once}) and asserts that it
     * happened, so what it returns is a restored run's. {@code job} is the test's {@code run(failMarker)}.
     */
    public static <R> R restoredRun(Path dir, FunctionWithException<Path, R, Exception> job) throws Exception {
        Path marker = dir.resolve("failed-once");
        R result = job.apply(marker);
        if (!Files.exists(marker)) throw new AssertionError("no failure was injected: the run ended before a checkpoint completed, so it restored nothing");
        return result;
    }

    /** Fails only after a checkpoint that completed once {@code file} exists. */
    public FailOnceAfterCheckpoint<T> armedBy(Path file) {
        this.armed = file.toString();
        return this;
    }

    @Override
    public void notifyCheckpointComplete(long id) {
        if (armed == null || Files.exists(Path.of(armed))) checkpointed = true;
    }

    @Override
    public T map(T record) throws Exception {
        if (delayMillis > 0) Thread.sleep(delayMillis);
        if (checkpointed && !Files.exists(Path.of(marker))) {
            Files.createFile(Path.of(marker));
            throw new RuntimeException("test failure after a checkpoint, at " + record);
        }
        return record;
    }
}
