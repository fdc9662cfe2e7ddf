package dev.winnow.runtime.format;

/**
 * A model artifact could not be read: it is truncated, corrupt, of an unknown version, or declares
 * something impossible. Checked, because every caller that loads a model from outside (a file, the
 * registry, a broadcast update) must decide what to do with a bad one — usually keep the old model.
 */
public class ModelFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static ModelFormatException at(long offset, String what) {
        return new ModelFormatException(what + " (at byte " + offset + ")");
    }
}
