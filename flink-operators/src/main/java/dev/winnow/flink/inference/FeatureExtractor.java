package dev.winnow.flink.inference;

import java.io.Serializable;

/**
 * Turns a record into a model's input vector. Called once per record on the task thread with the
 * same buffer every time, so an extractor that writes into {@code input} allocates nothing.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface FeatureExtractor<T> extends Serializable {
    /**
     * Writes the record's features into {@code input} (exactly the model's input size).
     *
     * @throws IllegalArgumentException when the record cannot be turned into features (counted as
     *     malformed and dropped by {@link ModelFunction}, with a log line naming the problem)
     */
    void extract(T record, float[] input);
}
