package dev.winnow.flink.frames;

/** A frame whose (claimed) width x height exceeds the configured pixel budget; refused before decoding. */
public final class OversizedFrameException extends MalformedFrameException {
    private static final long serialVersionUID = 1L;

    public OversizedFrameException(String message) {
        super(message);
    }
}
