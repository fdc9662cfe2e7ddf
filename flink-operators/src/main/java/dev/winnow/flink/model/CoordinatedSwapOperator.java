package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.apache.flink.runtime.operators.coordination.OperatorEventGateway;
import org.apache.flink.runtime.operators.coordination.OperatorEventHandler;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.CoordinatedOperatorFactory;
import org.apache.flink.streaming.api.operators.SimpleUdfStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;

/**
 * Flink's broadcast operator, with a line to the {@link SwapCoordinator}: it passes the function's
 * votes to the coordinator and the coordinator's decisions to the function. Everything else (the
 * records, the broadcast state, the function's checkpoint hooks) is the plain operator's.
 *
 * <p>Threads: votes may be cast from the model-loading thread; they are handed to the task's mailbox
 * and sent from the task thread. Decisions arrive on the task thread, between records, as Flink
 * delivers operator events.
 */
public final class CoordinatedSwapOperator<IN, OUT> extends CoBroadcastWithNonKeyedOperator<IN, ModelUpdate, OUT> implements OperatorEventHandler {
    private static final long serialVersionUID = 1L;

    private <F extends BroadcastProcessFunction<IN, ModelUpdate, OUT> & SwapVoting> CoordinatedSwapOperator(F function, List<MapStateDescriptor<?, ?>> states) {
        super(function, states);
    }

    @Override
    public void handleOperatorEvent(OperatorEvent event) {
        if (!(event instanceof SwapDecision d)) throw new IllegalArgumentException("unexpected event " + event);
        try {
            ((SwapVoting) getUserFunction()).decide(d);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        ((SwapVoting) getUserFunction()).checkpointAborted(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        ((SwapVoting) getUserFunction()).checkpointCompleted(checkpointId);
    }

    /** Builds the operator with its coordinator; what {@link CoordinatedSwap#process} puts in the job graph. */
    static final class Factory<IN, OUT> extends SimpleUdfStreamOperatorFactory<OUT> implements CoordinatedOperatorFactory<OUT> {
        private static final long serialVersionUID = 1L;

        <F extends BroadcastProcessFunction<IN, ModelUpdate, OUT> & SwapVoting> Factory(F function, List<MapStateDescriptor<?, ?>> states) {
            super(new CoordinatedSwapOperator<>(function, states));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
            OperatorID id = parameters.getStreamConfig().getOperatorID();
            OperatorEventGateway gateway = parameters.getOperatorEventDispatcher().getOperatorEventGateway(id);
            MailboxExecutor mailbox = parameters.getMailboxExecutor();
            CoordinatedSwapOperator<IN, OUT> op = (CoordinatedSwapOperator<IN, OUT>) getOperator();
            ((SwapVoting) op.getUserFunction()).coordinate(vote -> mailbox.execute(() -> gateway.sendEventToCoordinator(vote), "winnow swap vote %s", vote));
            parameters.getOperatorEventDispatcher().registerEventHandler(id, op);
            return super.createStreamOperator(parameters);
        }

        @Override
        public OperatorCoordinator.Provider getCoordinatorProvider(String operatorName, OperatorID operatorID) {
            return new SwapCoordinator.Provider(operatorID, operatorName);
        }
    }
}
