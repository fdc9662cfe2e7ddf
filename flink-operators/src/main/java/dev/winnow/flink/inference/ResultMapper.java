package dev.winnow.flink.inference;

import java.io.Serializable;

/**
 * Builds the output record from the input record and the model's outputs. {@code outputs} is the
 * function's reusable buffer: copy what you keep. Return null to emit nothing for this record.
 */
@FunctionalInterface
public interface ResultMapper<T, R> extends Serializable {
    R map(T record, float[] outputs, ServingInfo model);
}
