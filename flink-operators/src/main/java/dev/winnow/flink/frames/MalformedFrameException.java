package dev.winnow.flink.frames;

/** A frame whose bytes do not hold the image its header announces. */
public class MalformedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
