package dev.winnow.flink.model;

/**
 * Scores one record with the model serving it: what {@link HotSwapFunction} and {@link PerKeyFunction}
 * subclasses return from {@code scorer(...)}, built in {@code open()} around the function's metrics.
 * Called on the task thread only.
 */
@FunctionalInterface
public interface RecordScorer<S, IN, OUT> {
    /** The record's result; null when it yields nothing (dropped, and counted by the scorer). */
    OUT score(S serving, IN record) throws Exception;
}
