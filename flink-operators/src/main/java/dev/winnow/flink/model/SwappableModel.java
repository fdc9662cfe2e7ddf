package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model one subtask serves under a registry alias, and how it follows the alias: the part
 * every hot-swapping function shares.
 *
 * <p>The broadcast state holds, per {@code name@alias}, the latest update and the two before it
 * (every subtask applies the same updates in the same order, so the state is identical everywhere;
 * whether a load succeeded is subtask-local and is not in it). New versions load on a background
 * thread and are swapped in between two records, or only after the next completed checkpoint. After
 * a restore the first record or update brings the subtask back to the newest version in the state
 * that loads, so it resumes on the version it was serving, not on wherever the alias points today.
 * A version that fails to load (digest, signature, input spec, unreachable registry) is counted and
 * logged, and the serving model stays.
 */
public final class SwappableModel<S extends ServingModel> {
    private static final Logger LOG = LoggerFactory.getLogger(SwappableModel.class);

    /** The alias → version mapping every hot-swapping function keeps in broadcast state. */
    public static final MapStateDescriptor<String, ModelUpdate> VERSIONS =
            new MapStateDescriptor<>("winnow-model-versions", String.class, ModelUpdate.class);

    private static final int HISTORY = 3;

    /** Turns a loaded model into what the function serves; rejects models the records do not fit. */
    @FunctionalInterface
    public interface Loader<S> {
        S load(Model model, int version, S serving) throws Exception;
    }

    private final String modelName;
    private final String alias;
    private final boolean swapOnCheckpoint;
    private final Loader<S> loader;
    private final RegistryClient client;
    private final ExecutorService background;
    private final AtomicReference<S> pending = new AtomicReference<>();
    private final Counter swaps, failedSwaps;
    private volatile boolean checkpointSinceReady;
    private boolean restoreChecked;
    private volatile S serving;
    private Exception openFailure;

    /**
     * Opens the registry and loads the version the alias points at now. If that fails, the function
     * may still serve what a restored state names; without one, the first record fails with the cause.
     */
    public SwappableModel(RegistryConnection registry, String modelName, String alias, boolean swapOnCheckpoint, Loader<S> loader, MetricGroup metrics) throws Exception {
        this.modelName = modelName;
        this.alias = alias;
        this.swapOnCheckpoint = swapOnCheckpoint;
        this.loader = loader;
        this.client = registry.open();
        this.swaps = metrics.counter("modelSwaps");
        this.failedSwaps = metrics.counter("modelSwapsFailed");
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "winnow-model-loader-" + modelName);
            t.setDaemon(true);
            return t;
        });
        try {
            ModelVersion v = client.resolve(key());
            serving = loader.load(Model.load(client.fetch(v)), v.version(), null);
        } catch (Exception e) {
            openFailure = e;
            LOG.warn("{} does not load now ({}); waiting for restored state to name a version", key(), e.getMessage());
        }
    }

    public String key() {
        return modelName + "@" + alias;
    }

    /** The model to score the next record with, after any restore or pending swap. */
    public S serving(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        if (!restoreChecked) restore(state);
        S next = pending.get();
        if (next != null && (!swapOnCheckpoint || checkpointSinceReady) && pending.compareAndSet(next, null)) {
            serving = next;
            swaps.inc();
            LOG.info("{} now v{}", key(), next.version());
        }
        if (serving == null) throw new IllegalStateException("no loadable version of " + key(), openFailure);
        return serving;
    }

    /** Last known serving model (may be null before the first record); for gauges. */
    public S current() {
        return serving;
    }

    private void restore(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        restoreChecked = true;
        for (int i = 0; i < HISTORY; i++) {
            ModelUpdate u = state.get(historyKey(i));
            if (u == null) continue;
            if (serving != null && u.version == serving.version()) return;
            S restored = load(u);
            if (restored != null) {
                serving = restored;
                LOG.info("{} restored on v{}", key(), u.version);
                return;
            }
        }
    }

    private String historyKey(int i) {
        return i == 0 ? key() : key() + "#" + i;
    }

    /** Applies an update from the broadcast stream: records it in the state and loads it off the record path. */
    public void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception {
        if (!modelName.equals(u.modelName) || !alias.equals(u.alias) || u.version <= 0) return;
        if (!restoreChecked) restore(state);
        ModelUpdate latest = state.get(key());
        if (latest != null && latest.sequence >= u.sequence) return;
        List<ModelUpdate> history = new ArrayList<>();
        history.add(u);
        for (int i = 0; i < HISTORY - 1; i++) {
            ModelUpdate h = state.get(historyKey(i));
            if (h != null) history.add(h);
        }
        for (int i = 0; i < history.size(); i++) state.put(historyKey(i), history.get(i));
        if (serving != null && u.version == serving.version()) {
            pending.set(null);
            return;
        }
        background.submit(() -> {
            S next = load(u);
            if (next != null) {
                checkpointSinceReady = false;
                pending.set(next);
            }
        });
    }

    private S load(ModelUpdate u) {
        try {
            ModelVersion v = ModelVersion.builder(u.modelName, u.version, u.sha256).build();
            return loader.load(Model.load(client.fetch(v)), u.version, serving);
        } catch (Exception | LinkageError e) {
            failedSwaps.inc();
            LOG.warn("{}: cannot load v{}, keeping {}: {}", key(), u.version, serving == null ? "none" : "v" + serving.version(), e.getMessage());
            return null;
        }
    }

    public void checkpointComplete() {
        if (pending.get() != null) checkpointSinceReady = true;
    }

    public void close() {
        background.shutdownNow();
        client.close();
    }
}
