package dev.winnow.flink.model;

import org.apache.flink.runtime.operators.coordination.OperatorEvent;

/**
 * The {@link SwapCoordinator}'s decision on a staged version, the same for every subtask: switch to
 * it ({@code commit}) at the first checkpoint barrier after {@code afterCheckpoint}, or drop it.
 * {@code afterCheckpoint} is the last checkpoint the coordinator had taken when it decided; Flink
 * delivers an event sent between the coordinator's checkpoints C and C + 1 to every subtask before its
 * barrier C + 1, so every subtask switches at the same barrier.
 */
public record SwapDecision(String key, int version, long sequence, boolean commit, long afterCheckpoint, String reason) implements OperatorEvent {}
