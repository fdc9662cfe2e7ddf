package dev.winnow.flink.model;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for every subtask of a hot-swapping operator at once, whether a staged model version
 * serves: a two-phase swap. Each subtask loads the version and votes ({@link SwapVote}); when every
 * subtask has loaded it the coordinator sends a commit, and when one cannot the coordinator sends an
 * abort at once, so either every subtask switches or none does and the old version keeps serving
 * everywhere. The decision names the last checkpoint the coordinator had taken; every subtask switches
 * at the first barrier after it (see {@link SwapDecision}).
 *
 * <p>The votes are not checkpointed: after a restore the subtasks stage the newest update of their
 * restored state again and vote again, so the coordinator starts empty.
 *
 * <p>Threads: Flink calls every method on the JobManager's main thread, which also sends the events;
 * the checkpoint future completes on that thread, which orders decisions against checkpoints.
 */
public final class SwapCoordinator implements OperatorCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SwapCoordinator.class);

    private final Context context;
    private final String operatorName;
    private final SubtaskGateway[] gateways;
    /** The execution attempt of each subtask whose votes count: a vote of an attempt that has failed since does not. */
    private final int[] attempts;
    /** Per model key, the newest staged update being voted on. */
    private final Map<String, Ballot> open = new HashMap<>();
    private long lastCheckpoint;
    private Counter committed, refused;

    private static final class Ballot {
        final int version;
        final long sequence;
        final BitSet yes = new BitSet();

        Ballot(int version, long sequence) {
            this.version = version;
            this.sequence = sequence;
        }
    }

    SwapCoordinator(Context context, String operatorName) {
        this.context = context;
        this.operatorName = operatorName;
        this.gateways = new SubtaskGateway[context.currentParallelism()];
        this.attempts = new int[gateways.length];
        java.util.Arrays.fill(attempts, -1);
    }

    @Override
    public void start() {
        committed = context.metricGroup().counter("modelSwapsCommitted");
        refused = context.metricGroup().counter("modelSwapsRefused");
    }

    @Override
    public void close() {}

    @Override
    public void handleEventFromOperator(int subtask, int attempt, OperatorEvent event) {
        if (!(event instanceof SwapVote v)) throw new IllegalArgumentException(operatorName + ": unexpected event " + event);
        if (attempt != attempts[subtask]) return; // sent before that subtask failed; its new attempt votes again
        Ballot b = open.get(v.key());
        if (b != null && v.sequence() < b.sequence) return; // a vote on an update that a newer one replaced
        if (b == null || v.sequence() > b.sequence) {
            b = new Ballot(v.version(), v.sequence());
            open.put(v.key(), b);
        }
        if (!v.loaded()) {
            open.remove(v.key());
            refused.inc();
            LOG.warn("{}: {} v{} not swapped in: subtask {} cannot load it ({}); every subtask keeps its version",
                    operatorName, v.key(), v.version(), subtask, v.reason());
            broadcast(new SwapDecision(v.key(), v.version(), v.sequence(), false, lastCheckpoint, "subtask " + subtask + ": " + v.reason()));
            return;
        }
        b.yes.set(subtask);
        if (b.yes.cardinality() < gateways.length) return;
        open.remove(v.key());
        committed.inc();
        LOG.info("{}: {} v{} loaded on all {} subtasks; switching at the first checkpoint after {}",
                operatorName, v.key(), v.version(), gateways.length, lastCheckpoint);
        broadcast(new SwapDecision(v.key(), v.version(), v.sequence(), true, lastCheckpoint, null));
    }

    private void broadcast(SwapDecision d) {
        for (int i = 0; i < gateways.length; i++) {
            if (gateways[i] == null) {
                // a subtask that is not running restores and votes again; without it nobody may switch
                context.failJob(new IllegalStateException(operatorName + ": subtask " + i + " is not running to receive " + d));
                return;
            }
            gateways[i].sendEvent(d);
        }
    }

    @Override
    public void checkpointCoordinator(long checkpointId, CompletableFuture<byte[]> result) {
        result.complete(new byte[0]);
        lastCheckpoint = checkpointId;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {}

    @Override
    public void resetToCheckpoint(long checkpointId, byte[] state) {
        open.clear();
        lastCheckpoint = Math.max(0, checkpointId);
    }

    @Override
    public void subtaskReset(int subtask, long checkpointId) {
        // its earlier votes no longer stand: it votes again once it has restored
        for (Ballot b : open.values()) b.yes.clear(subtask);
    }

    @Override
    public void executionAttemptFailed(int subtask, int attempt, Throwable reason) {
        if (attempt != attempts[subtask]) return;
        gateways[subtask] = null;
        attempts[subtask] = -1;
    }

    @Override
    public void executionAttemptReady(int subtask, int attempt, SubtaskGateway gateway) {
        gateways[subtask] = gateway;
        attempts[subtask] = attempt;
    }

    /** Creates the coordinator on the JobManager; serialized with the job graph. */
    public static final class Provider implements OperatorCoordinator.Provider {
        private static final long serialVersionUID = 1L;
        private final OperatorID operatorId;
        private final String operatorName;

        public Provider(OperatorID operatorId, String operatorName) {
            this.operatorId = operatorId;
            this.operatorName = operatorName;
        }

        @Override
        public OperatorID getOperatorId() {
            return operatorId;
        }

        @Override
        public OperatorCoordinator create(Context context) {
            return new SwapCoordinator(context, operatorName);
        }
    }
}
