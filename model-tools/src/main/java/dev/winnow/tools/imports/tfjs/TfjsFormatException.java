package dev.winnow.tools.imports.tfjs;

import java.io.IOException;

/**
 * A TensorFlow.js graph model that cannot be imported: a malformed {@code model.json}, a weight
 * shard that is missing, short or disagrees with the manifest, or ops Winnow does not translate.
 * The message is one line that names the tensor or the nodes concerned.
 */
public final class TfjsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public TfjsFormatException(String message) {
        super(message);
    }
}
