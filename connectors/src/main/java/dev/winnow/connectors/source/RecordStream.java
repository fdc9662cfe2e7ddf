package dev.winnow.connectors.source;

/**
 * A blocking reader of one stream, used from one thread. {@link #close()} may be called from another
 * thread to unblock a read; the reader then sees an exception or the end.
 */
public interface RecordStream<T> extends AutoCloseable {
    /**
     * The next record with its event time and the position after it, or null at the end of a bounded
     * stream. Malformed input is reported to {@link StreamContext#malformed()} and skipped, not thrown;
     * an exception means the stream cannot go on (the job fails or restarts).
     */
    Positioned<T> next() throws Exception;

    @Override
    void close() throws Exception;

    /** A record, its event time and the stream position after it. */
    record Positioned<T>(T record, long timestampMillis, long nextPosition) {}
}
