package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.ModelVersion;
import dev.winnow.registry.RegistryClient;
import dev.winnow.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * thread and are swapped in either between two records as soon as they have loaded, or, with
 * {@code swapOnCheckpoint}, at the next checkpoint barrier (see {@link #barrier}). After a restore
 * the first record or update brings the subtask back to the newest version in the state that
 * loads, so it resumes on the version it was serving, not on wherever the alias points today.
 * A version that fails to load (digest, signature, input spec, unreachable registry) is counted and
 * logged, and the serving model stays.
 *
 * <p><b>Swap at a checkpoint.</b> The update is staged when it arrives and starts loading; the
 * subtask makes it the serving model when it takes its snapshot for the next checkpoint, that is at
 * the barrier, after the records before the barrier and before the records after it. The feed is a
 * single source broadcast to every subtask, so with aligned checkpoints (Flink's default) every
 * subtask receives the update on the same side of the same barrier: all subtasks switch at the same
 * checkpoint N, no record after barrier N is scored by the old version, and since the snapshot of N
 * already holds the update, a restore from N resumes on the new version. The barrier, not the
 * completed-checkpoint notification, is the switch point because notifications reach subtasks at
 * different places in their record streams (and a restore from N would replay, on the new version,
 * records that had been scored on the old one). If the load has not finished at the barrier, the
 * snapshot waits for it (up to {@link #LOAD_WAIT_MILLIS}); if it fails, this subtask keeps its
 * version and counts the failure: the subtasks then differ until the next update (refusing the swap
 * on every subtask when one cannot load needs a coordinator, which this class is not). Without
 * checkpointing enabled, {@code swapOnCheckpoint} never swaps.
 *
 * <p>Threads:
 * <ul>
 *   <li>The task thread only: the constructor (from {@code open()}), {@link #serving},
 *       {@link #servingOrNull}, {@link #onUpdate}, {@link #barrier} (from {@code snapshotState},
 *       which Flink also runs on the task thread), {@link #openFailure} and {@link #close}. These share
 *       unsynchronised fields (the staged load, the restore flag) and must not be called concurrently.</li>
 *   <li>Any thread: {@link #current} and {@link #key} (metric gauges are read on the reporter's
 *       thread); the serving model is a volatile field.</li>
 *   <li>The one {@code winnow-model-loader-<model>} thread runs the loads. It reads the serving model
 *       (volatile) and hands a loaded model to the task thread only through {@code pending}, an
 *       atomic reference (immediate swaps), or the staged {@link Future} (checkpoint swaps).</li>
 * </ul>
 */
public final class SwappableModel<S extends ServingModel> {
    private static final Logger LOG = LoggerFactory.getLogger(SwappableModel.class);

    /** The alias → version mapping every hot-swapping function keeps in broadcast state. */
    public static final MapStateDescriptor<String, ModelUpdate> VERSIONS =
            new MapStateDescriptor<>("winnow-model-versions", String.class, ModelUpdate.class);

    private static final int HISTORY = 3;

    /** How long a checkpoint barrier waits for a staged version to finish loading. */
    public static final long LOAD_WAIT_MILLIS = 60_000;

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
    private Future<S> staged;
    private int stagedVersion;
    private boolean restoreChecked;
    private volatile S serving;
    private Exception openFailure;
    // coordinated swaps (null ballot: not coordinated); switchedAt: the barrier of the last switch until its checkpoint completes
    private long switchedAt = -1;
    // coordinated swaps (null ballot: not coordinated)
    private SwapVoting.Ballot ballot;
    private ModelUpdate stagedUpdate, servingUpdate, restoredCommit;
    private boolean commitReady;
    private long commitAfter, lastBarrier;

    /**
     * Opens the registry and loads the version the alias points at now. If that fails, the function
     * may still serve what a restored state names; without one, the first record fails with the cause.
     */
    public SwappableModel(RegistryConnection registry, String modelName, String alias, boolean swapOnCheckpoint, Loader<S> loader, MetricGroup metrics) throws Exception {
        this(registry, modelName, alias, swapOnCheckpoint, loader, metrics, false);
    }

    /**
     * As above; with {@code hasFallback} the caller serves another model while this alias has no
     * version and warns about it itself, so a failure at open is logged at INFO, not WARN.
     */
    public SwappableModel(RegistryConnection registry, String modelName, String alias, boolean swapOnCheckpoint, Loader<S> loader, MetricGroup metrics,
                          boolean hasFallback) throws Exception {
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
            servingUpdate = new ModelUpdate(0, modelName, alias, v.version(), v.sha256(), System.currentTimeMillis());
        } catch (Exception e) {
            openFailure = e;
            if (hasFallback) LOG.info("{} does not load now ({}); waiting for an update or restored state to name a version", key(), e.getMessage());
            else LOG.warn("{} does not load now ({}); waiting for restored state to name a version", key(), e.getMessage());
        }
    }

    public String key() {
        return modelName + "@" + alias;
    }

    /** The model to score the next record with, after any restore or pending swap. */
    public S serving(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        S s = servingOrNull(state);
        if (s == null) throw new IllegalStateException("no loadable version of " + key(), openFailure);
        return s;
    }

    /**
     * As {@link #serving}, but null while no version of the alias has loaded (the alias did not
     * exist or did not load at open, and no update or restored state has named one since): for
     * callers that fall back to another model.
     */
    public S servingOrNull(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        if (!restoreChecked) restore(state);
        if (!swapOnCheckpoint) {
            S next = pending.get();
            if (next != null && pending.compareAndSet(next, null)) {
                serving = next;
                swaps.inc();
                LOG.info("{} now v{}", key(), next.version());
            }
        }
        return serving;
    }

    /** Why the alias did not load at open (null when it did). */
    public Exception openFailure() {
        return openFailure;
    }

    /** Last known serving model (may be null before the first record); for gauges. */
    public S current() {
        return serving;
    }

    private void restore(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        restoreChecked = true;
        if (ballot != null) {
            restoreCoordinated(state);
            return;
        }
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

    /**
     * Coordinated: resume on the version every subtask served at the restored checkpoint, then put
     * a newer update of the state (staged but not decided then) to the vote again.
     */
    private void restoreCoordinated(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        if (restoredCommit != null && (serving == null || serving.version() != restoredCommit.version)) {
            S restored = load(restoredCommit, new String[1]);
            if (restored != null) {
                serving = restored;
                servingUpdate = restoredCommit;
                LOG.info("{} restored on v{}", key(), restoredCommit.version);
            }
        }
        ModelUpdate newest = state.get(key());
        if (newest != null && (servingUpdate == null || newest.sequence > servingUpdate.sequence)) stage(newest);
    }

    /**
     * Takes part in coordinated swaps: staged versions are loaded and voted on through {@code ballot},
     * and switch only on the coordinator's decision ({@link #decide}). {@code restoredCommit} is the
     * version this subtask served at the restored checkpoint (null on a fresh start).
     */
    public void coordinate(SwapVoting.Ballot ballot, ModelUpdate restoredCommit) {
        this.ballot = ballot;
        this.restoredCommit = restoredCommit;
    }

    /** The update of the version serving now, for the function's checkpoint (coordinated swaps restore on it). */
    public ModelUpdate servingUpdate() {
        return servingUpdate;
    }

    /** Stages {@code u}: loads it off the task thread and votes on whether it loaded. */
    private void stage(ModelUpdate u) {
        dropStaged();
        if (serving != null && u.version == serving.version()) {
            servingUpdate = u;
            ballot.cast(new SwapVote(key(), u.version, u.sequence, true, null));
            return;
        }
        stagedUpdate = u;
        stagedVersion = u.version;
        staged = background.submit(() -> {
            String[] why = new String[1];
            S next = load(u, why);
            ballot.cast(new SwapVote(key(), u.version, u.sequence, next != null, why[0]));
            return next;
        });
    }

    /**
     * The coordinator's decision on a staged version (task thread). A commit switches at the first
     * barrier after the checkpoint it names; a decision that arrives after that barrier means the
     * subtasks would switch at different barriers, so the task fails and the job restores instead.
     */
    public void decide(SwapDecision d) {
        if (!key().equals(d.key())) return;
        if (stagedUpdate == null || stagedUpdate.sequence != d.sequence()) return; // superseded, or already serving
        if (!d.commit()) {
            LOG.info("{}: v{} dropped, not loadable on every subtask ({})", key(), d.version(), d.reason());
            dropStaged();
            return;
        }
        if (lastBarrier > d.afterCheckpoint())
            throw new IllegalStateException(key() + ": the commit of v" + d.version() + " after checkpoint " + d.afterCheckpoint()
                    + " arrived after barrier " + lastBarrier + "; restoring so that every subtask switches at one barrier");
        commitReady = true;
        commitAfter = d.afterCheckpoint();
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
        if (ballot != null) {
            stage(u);
            return;
        }
        if (serving != null && u.version == serving.version()) {
            pending.set(null);
            dropStaged();
            return;
        }
        if (swapOnCheckpoint) {
            // the newest update before a barrier is the one that serves after it
            dropStaged();
            staged = background.submit(() -> load(u));
            stagedVersion = u.version;
            return;
        }
        background.submit(() -> {
            S next = load(u);
            if (next != null) pending.set(next);
        });
    }

    private void dropStaged() {
        if (staged != null) staged.cancel(false);
        staged = null;
        stagedUpdate = null;
        commitReady = false;
    }

    /**
     * Call at a checkpoint barrier (from {@code snapshotState}): with {@code swapOnCheckpoint}, the
     * newest version received since the last barrier becomes the serving one, once it has loaded.
     */
    public void barrier(long checkpointId) throws InterruptedException {
        lastBarrier = checkpointId;
        if (ballot != null) {
            if (commitReady && checkpointId > commitAfter) switchToStaged(checkpointId);
            return;
        }
        if (staged == null) return;
        Future<S> f = staged;
        int version = stagedVersion;
        staged = null;
        S next;
        try {
            next = f.get(LOAD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            failedSwaps.inc();
            LOG.warn("{}: v{} did not load within {} ms of checkpoint {}, keeping {}", key(), version, LOAD_WAIT_MILLIS, checkpointId,
                    serving == null ? "none" : "v" + serving.version());
            return;
        } catch (ExecutionException | CancellationException e) {
            next = null; // load() logs and counts its own failures
        }
        if (next == null) return;
        S before = serving;
        serving = next;
        swaps.inc();
        LOG.info("{}: v{} -> v{} at checkpoint {}", key(), before == null ? 0 : before.version(), next.version(), checkpointId);
    }

    /**
     * Coordinated, on the task thread: checkpoint {@code checkpointId} was aborted. Flink skips the
     * barrier of an aborted checkpoint on a subtask that hears of the abort before the barrier reaches
     * it, so when the checkpoint this subtask switched at is aborted, others may switch one barrier
     * later. This subtask fails, and the job restores from the last completed checkpoint, where every
     * subtask serves the old version; the swap is voted on again. A subtask that skipped the barrier
     * cannot tell whether anyone took it, so it does not fail: if nobody switched there (the barrier
     * never left the sources), every subtask switches at the next one.
     */
    public void checkpointAborted(long checkpointId) {
        if (ballot != null && checkpointId == switchedAt) {
            throw new IllegalStateException(key() + ": checkpoint " + checkpointId + " was aborted after this subtask switched to v"
                    + serving.version() + " at its barrier; restoring so that every subtask switches at one barrier");
        }
    }

    /** Coordinated, on the task thread: once the switch checkpoint completed, no abort can split the subtasks. */
    public void checkpointCompleted(long checkpointId) {
        if (checkpointId >= switchedAt) switchedAt = -1;
    }

    /** Coordinated: the staged version loaded on every subtask (its vote was yes), so its future is done. */
    private void switchToStaged(long checkpointId) {
        S next;
        try {
            next = staged.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(key() + ": interrupted at checkpoint " + checkpointId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(key() + ": v" + stagedVersion + " was committed but its load failed here", e);
        }
        if (next == null) throw new IllegalStateException(key() + ": v" + stagedVersion + " was committed but did not load here");
        S before = serving;
        serving = next;
        servingUpdate = stagedUpdate;
        staged = null;
        stagedUpdate = null;
        commitReady = false;
        switchedAt = checkpointId;
        swaps.inc();
        LOG.info("{}: v{} -> v{} at checkpoint {} (coordinated)", key(), before == null ? 0 : before.version(), next.version(), checkpointId);
    }

    private S load(ModelUpdate u) {
        return load(u, new String[1]);
    }

    /** Loads {@code u}; on failure counts it, logs it, puts the reason in {@code why[0]} and returns null. */
    private S load(ModelUpdate u, String[] why) {
        try {
            ModelVersion v = ModelVersion.builder(u.modelName, u.version, u.sha256).build();
            return loader.load(Model.load(client.fetch(v)), u.version, serving);
        } catch (Exception | LinkageError e) {
            why[0] = e.getMessage() == null ? e.toString() : e.getMessage();
            failedSwaps.inc();
            LOG.warn("{}: cannot load v{}, keeping {}: {}", key(), u.version, serving == null ? "none" : "v" + serving.version(), e.getMessage());
            return null;
        }
    }

    public void close() {
        background.shutdownNow();
        client.close();
    }
}
