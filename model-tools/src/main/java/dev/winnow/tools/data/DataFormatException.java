package dev.winnow.tools.data;

import java.io.IOException;

/** A data file that is not what its loader expects; the message names the file and where. */
public final class DataFormatException extends IOException {
    public DataFormatException(String message) {
        super(message);
    }
}
