package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;

/**
 * {@code records.connect(updates).process(function)} with a coordinated swap: every subtask switches
 * to a new version at the same checkpoint barrier, and only once every subtask has loaded it (see
 * {@link SwapCoordinator}). Use it instead of {@code process} for a function that hot-swaps:
 * <pre>{@code
 * var updates = RegistryFeedSource.builder(registry).model("person-detector").build().broadcast(env);
 * DataStream<ScoredFrame> scored = CoordinatedSwap.process(frames, updates,
 *         new HotSwapFrameScorer(registry, "person-detector", "production", "person", true),
 *         TypeInformation.of(ScoredFrame.class), "score").uid("score");
 * }</pre>
 * Needs checkpointing: without it no barrier comes and no version ever switches.
 */
public final class CoordinatedSwap {
    private CoordinatedSwap() {}

    public static <IN, OUT, F extends BroadcastProcessFunction<IN, ModelUpdate, OUT> & SwapVoting> SingleOutputStreamOperator<OUT> process(
            DataStream<IN> records, BroadcastStream<ModelUpdate> updates, F function, TypeInformation<OUT> outType, String name) {
        StreamExecutionEnvironment env = records.getExecutionEnvironment();
        Transformation<IN> in1 = records.getTransformation();
        Transformation<ModelUpdate> in2 = updates.getTransformation();
        TwoInputTransformation<IN, ModelUpdate, OUT> t = new TwoInputTransformation<>(in1, in2, name,
                new CoordinatedSwapOperator.Factory<IN, OUT>(env.clean(function), updates.getBroadcastStateDescriptors()), outType, env.getParallelism());
        env.addOperator(t);
        return new Output<>(env, t);
    }

    /** SingleOutputStreamOperator's constructor is protected: Flink's own connected streams subclass it the same way. */
    private static final class Output<T> extends SingleOutputStreamOperator<T> {
        Output(StreamExecutionEnvironment env, Transformation<T> t) {
            super(env, t);
        }
    }
}
