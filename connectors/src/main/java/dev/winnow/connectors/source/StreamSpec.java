package dev.winnow.connectors.source;

import java.io.Serializable;

/**
 * One stream that a {@link StreamSource} reads as one split: a camera, a CSV file, an MQTT
 * subscription. A position is a record number in the stream (for a camera, the sequence number of
 * the next frame); the split's checkpointed state is the position of the next record not yet
 * emitted, so a restore opens the stream there and neither loses nor repeats records (for live
 * inputs that cannot rewind, numbering continues where it stopped).
 */
public interface StreamSpec<T> extends Serializable {
    /** Unique within one source: the split id. */
    String id();

    /** True when the stream ends by itself (end of file, a frame limit). */
    boolean bounded();

    /** Opens the stream so that its first record is the one at {@code position}. Called on a reader thread. */
    RecordStream<T> open(long position, StreamContext context) throws Exception;
}
