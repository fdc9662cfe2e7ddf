package dev.winnow.flink.model;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorCoordinatorMetricGroup;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's decisions, without a cluster: it commits only when every subtask's current attempt
 * loaded the version, aborts at the first refusal, names its last checkpoint in the decision, and
 * ignores a vote from an attempt that has failed since (its new attempt must vote again).
 */
class SwapCoordinatorTest {
    /** What one subtask's gateway was sent. */
    static final class Gateway implements OperatorCoordinator.SubtaskGateway {
        final int subtask;
        final List<SwapDecision> sent = new ArrayList<>();

        Gateway(int subtask) {
            this.subtask = subtask;
        }

        @Override
        public CompletableFuture<Acknowledge> sendEvent(OperatorEvent e) {
            sent.add((SwapDecision) e);
            return CompletableFuture.completedFuture(Acknowledge.get());
        }

        @Override
        public org.apache.flink.runtime.executiongraph.ExecutionAttemptID getExecution() {
            return null;
        }

        @Override
        public int getSubtask() {
            return subtask;
        }
    }

    final List<Throwable> jobFailures = new ArrayList<>();

    /** A context of {@code parallelism} subtasks; only what the coordinator uses answers. */
    OperatorCoordinator.Context context(int parallelism) {
        OperatorCoordinatorMetricGroup metrics = (OperatorCoordinatorMetricGroup) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {OperatorCoordinatorMetricGroup.class}, (p, m, a) -> m.getName().equals("counter") ? new SimpleCounter() : null);
        return (OperatorCoordinator.Context) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {OperatorCoordinator.Context.class},
                (p, m, a) -> switch (m.getName()) {
                    case "currentParallelism" -> parallelism;
                    case "metricGroup" -> metrics;
                    case "failJob" -> jobFailures.add((Throwable) a[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A started coordinator of one subtask per gateway, each subtask's first attempt ready. */
    SwapCoordinator started(Gateway... ready) throws Exception {
        SwapCoordinator c = new SwapCoordinator(context(ready.length), "score");
        c.start();
        for (Gateway g : ready) c.executionAttemptReady(g.subtask, 0, g);
        return c;
    }

    static SwapVote yes(int version, long sequence) {
        return new SwapVote("det@production", version, sequence, true, null);
    }

    @Test
    void commitsWhenEverySubtaskLoadedItNamingTheLastCheckpoint() throws Exception {
        Gateway g0 = new Gateway(0), g1 = new Gateway(1);
        SwapCoordinator c = started(g0, g1);
        c.checkpointCoordinator(7, new CompletableFuture<>());
        c.handleEventFromOperator(0, 0, yes(2, 4));
        assertTrue(g0.sent.isEmpty() && g1.sent.isEmpty(), "one subtask has not loaded it yet");
        c.handleEventFromOperator(1, 0, yes(2, 4));
        for (Gateway g : List.of(g0, g1)) {
            assertEquals(1, g.sent.size());
            SwapDecision d = g.sent.get(0);
            assertTrue(d.commit());
            assertEquals(2, d.version());
            assertEquals(7, d.afterCheckpoint(), "switch at the first barrier after the coordinator's checkpoint 7");
        }
    }

    @Test
    void oneRefusalAbortsEverywhereAtOnce() throws Exception {
        List<Gateway> gs = List.of(new Gateway(0), new Gateway(1), new Gateway(2));
        SwapCoordinator c = started(gs.toArray(new Gateway[0]));
        c.handleEventFromOperator(0, 0, yes(2, 4));
        c.handleEventFromOperator(2, 0, new SwapVote("det@production", 2, 4, false, "digest mismatch"));
        for (Gateway g : gs) {
            assertEquals(1, g.sent.size(), "every subtask hears the abort, also the one that has not voted");
            assertFalse(g.sent.get(0).commit());
            assertTrue(g.sent.get(0).reason().contains("subtask 2: digest mismatch"), g.sent.get(0).reason());
        }
        c.handleEventFromOperator(1, 0, yes(2, 4));
        for (Gateway g : gs) assertEquals(1, g.sent.size(), "a late yes does not reopen an aborted vote");
    }

    @Test
    void aVoteFromAFailedAttemptDoesNotCount() throws Exception {
        Gateway g0 = new Gateway(0), g1 = new Gateway(1);
        SwapCoordinator c = started(g0, g1);
        // subtask 0 fails; the job restores; its new attempt starts
        c.executionAttemptFailed(0, 0, new RuntimeException("killed"));
        c.resetToCheckpoint(5, null);
        Gateway g0b = new Gateway(0);
        c.executionAttemptReady(0, 1, g0b);
        c.handleEventFromOperator(0, 0, yes(2, 4)); // sent by attempt 0 before it failed, delivered late
        c.handleEventFromOperator(1, 0, yes(2, 4));
        assertTrue(g0b.sent.isEmpty() && g1.sent.isEmpty(), "subtask 0's running attempt has not voted");
        c.handleEventFromOperator(0, 1, yes(2, 4));
        assertTrue(g0b.sent.get(0).commit() && g1.sent.get(0).commit());
        assertEquals(5, g1.sent.get(0).afterCheckpoint(), "after the restored checkpoint");
        assertTrue(g0.sent.isEmpty(), "nothing to the failed attempt");
        assertTrue(jobFailures.isEmpty(), jobFailures.toString());
    }

    @Test
    void aNewerUpdateReplacesTheOneBeingVotedOn() throws Exception {
        Gateway g0 = new Gateway(0), g1 = new Gateway(1);
        SwapCoordinator c = started(g0, g1);
        c.handleEventFromOperator(0, 0, yes(2, 4));
        c.handleEventFromOperator(0, 0, yes(3, 6));
        c.handleEventFromOperator(1, 0, yes(2, 4)); // for the replaced update: ignored
        assertTrue(g0.sent.isEmpty());
        c.handleEventFromOperator(1, 0, yes(3, 6));
        assertEquals(3, g0.sent.get(0).version());
        assertEquals(1, g1.sent.size());
    }
}
