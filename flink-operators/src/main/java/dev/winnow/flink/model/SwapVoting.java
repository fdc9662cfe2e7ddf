package dev.winnow.flink.model;

import java.io.Serializable;

/**
 * Where a function that hot-swaps models sends its votes when it runs under a
 * {@link CoordinatedSwapOperator}, and how the operator hands it the coordinator's decisions.
 * Implemented by {@link HotSwapFunction} and the per-camera frame scorer.
 */
public interface SwapVoting extends Serializable {
    /** Called by the operator before the function's {@code open()}: votes go to {@code ballot}. */
    void coordinate(Ballot ballot);

    /** A decision from the coordinator, on the task thread. */
    void decide(SwapDecision decision) throws Exception;

    /** Checkpoint {@code checkpointId} was aborted (task thread); see {@link SwappableModel#checkpointAborted}. */
    void checkpointAborted(long checkpointId);

    /** Checkpoint {@code checkpointId} completed (task thread). */
    void checkpointCompleted(long checkpointId);

    /** Sends a vote to the coordinator; may be called from any thread. */
    @FunctionalInterface
    interface Ballot {
        void cast(SwapVote vote);
    }
}
