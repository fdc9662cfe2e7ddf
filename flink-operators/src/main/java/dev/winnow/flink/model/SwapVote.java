package dev.winnow.flink.model;

import org.apache.flink.runtime.operators.coordination.OperatorEvent;

/**
 * A subtask's answer to a staged version, sent to the {@link SwapCoordinator}: whether it loaded
 * ({@code reason} says why not). {@code sequence} is the registry event that staged it, so the
 * coordinator can tell a vote on a superseded update from one on the newest.
 */
public record SwapVote(String key, int version, long sequence, boolean loaded, String reason) implements OperatorEvent {}
