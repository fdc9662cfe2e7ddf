package dev.winnow.flink.frames;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.Model;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores frames with the model a registry alias points at, and follows the alias as it moves.
 *
 * <p>Model updates arrive on a broadcast stream of {@link ModelUpdate}s; the alias → version
 * mapping lives in broadcast state, so a restore comes back on the same version. Each subtask
 * fetches and verifies the new artifact on a background thread — off the record path — and swaps
 * between two records; every output is stamped with the version that scored it. A failed load (bad
 * digest or signature, unreachable registry, an input spec the frames do not fit) keeps the old
 * model serving and counts the failure. With {@code swapOnCheckpoint}, a loaded model waits for the
 * next completed checkpoint, so all subtasks change version at the same checkpoint boundary.
 */
public class HotSwapFrameScorer extends BroadcastProcessFunction<Frame, ModelUpdate, ScoredFrame> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HotSwapFrameScorer.class);

    public static final MapStateDescriptor<String, ModelUpdate> VERSIONS =
            new MapStateDescriptor<>("winnow-model-versions", String.class, ModelUpdate.class);

    private final RegistryConnection registry;
    private final String modelName;
    private final String alias;
    private final String positiveLabel;
    private final boolean swapOnCheckpoint;

    private transient RegistryClient client;
    private transient ExecutorService loader;
    private transient FrameScoring scoring;
    private transient AtomicReference<FrameScoring> pending;
    private transient volatile boolean checkpointSinceReady;
    private transient boolean restoreChecked;
    private transient FrameMetrics metrics;
    private transient Counter swaps, failedSwaps;

    public HotSwapFrameScorer(RegistryConnection registry, String modelName, String alias, String positiveLabel, boolean swapOnCheckpoint) {
        this.registry = registry;
        this.modelName = modelName;
        this.alias = alias;
        this.positiveLabel = positiveLabel;
        this.swapOnCheckpoint = swapOnCheckpoint;
    }

    private String key() {
        return modelName + "@" + alias;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        client = registry.open();
        ModelVersion v = client.resolve(key());
        scoring = new FrameScoring(Model.load(client.fetch(v)), v.version(), positiveLabel);
        pending = new AtomicReference<>();
        loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "winnow-model-loader-" + modelName);
            t.setDaemon(true);
            return t;
        });
        metrics = new FrameMetrics(getRuntimeContext().getMetricGroup(), () -> scoring);
        var g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        swaps = g.counter("modelSwaps");
        failedSwaps = g.counter("modelSwapsFailed");
    }

    /** Loads a version; null (and a counted failure) when it cannot serve. */
    private FrameScoring load(ModelUpdate u) {
        try {
            ModelVersion v = new ModelVersion(u.modelName, u.version, u.sha256, 0, null, Map.of(), Map.of(), null, 0, false);
            Model m = Model.load(client.fetch(v));
            if (!m.inputSpec().compatibleWith(scoring.model().inputSpec())) {
                throw new IllegalArgumentException("input spec " + m.inputSpec() + " differs from the serving model's " + scoring.model().inputSpec());
            }
            return new FrameScoring(m, u.version, positiveLabel);
        } catch (Exception | LinkageError e) {
            failedSwaps.inc();
            LOG.warn("keeping {} v{}: cannot load v{}: {}", modelName, scoring.version(), u.version, e.getMessage());
            return null;
        }
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<ScoredFrame> out) throws Exception {
        if (!modelName.equals(u.modelName) || !alias.equals(u.alias) || u.version <= 0) return;
        BroadcastState<String, ModelUpdate> state = ctx.getBroadcastState(VERSIONS);
        ModelUpdate current = state.get(key());
        if (current != null && current.sequence >= u.sequence) return;
        // a live update supersedes whatever a restore left in the broadcast state
        restoreChecked = true;
        state.put(key(), u);
        if (u.version == scoring.version()) return;
        loader.submit(() -> {
            FrameScoring next = load(u);
            if (next != null) {
                checkpointSinceReady = false;
                pending.set(next);
            }
        });
    }

    @Override
    public void processElement(Frame f, ReadOnlyContext ctx, Collector<ScoredFrame> out) throws Exception {
        if (!restoreChecked) {
            restoreChecked = true;
            // after a restore the broadcast state names the version that was serving: come back on it
            ModelUpdate u = ctx.getBroadcastState(VERSIONS).get(key());
            if (u != null && u.version != scoring.version()) {
                FrameScoring restored = load(u);
                if (restored != null) scoring = restored;
            }
        }
        FrameScoring next = pending.get();
        if (next != null && (!swapOnCheckpoint || checkpointSinceReady) && pending.compareAndSet(next, null)) {
            scoring = next;
            swaps.inc();
            LOG.info("{}@{} now v{}", modelName, alias, next.version());
        }
        ScoredFrame s = metrics.score(scoring, f);
        if (s != null) out.collect(s);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (pending != null && pending.get() != null) checkpointSinceReady = true;
    }

    @Override
    public void close() throws Exception {
        if (loader != null) loader.shutdownNow();
        if (client != null) client.close();
    }
}
