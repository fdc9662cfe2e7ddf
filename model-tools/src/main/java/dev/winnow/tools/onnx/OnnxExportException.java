package dev.winnow.tools.onnx;

/** The artifact holds something the ONNX export cannot express; the message names the op or tensor. */
public final class OnnxExportException extends Exception {
    public OnnxExportException(String message) {
        super(message);
    }
}
