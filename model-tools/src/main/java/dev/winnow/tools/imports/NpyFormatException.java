package dev.winnow.tools.imports;

import java.io.IOException;

/** A .npy file that cannot be read: not NumPy's format, a dtype or layout Winnow does not import, or truncated. */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
