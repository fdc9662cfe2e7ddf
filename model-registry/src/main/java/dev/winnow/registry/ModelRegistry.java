package dev.winnow.registry;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Metadata;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A versioned model registry over a {@link BlobStore}. The store holds content-addressed artifacts
 * ({@code blobs/sha256/<hex>.wnm}, or {@code <hex>.<signer key hex>.wnm} when signed) and the event log ({@code events/<sequence>.json}); every change
 * is one event file created exclusively under the store's writer lock, so that file is the commit
 * point: a crash before it leaves the old state (at most an unreferenced blob), after it the new one.
 * Versions, aliases and archive marks are the replay of the log, refreshed from the store before
 * every write and read, so several processes can share one store.
 *
 * <p>A publish that also points an alias ({@link #publish(String, byte[], String, Map, boolean, String)})
 * is one PUBLISH event that carries the alias, so a crash leaves neither or both. The blob is written
 * under the writer lock before that event; a crash between the two leaves an unreferenced blob (and
 * perhaps a temporary file), which {@link #recover} removes at the next start.
 *
 * <p>Threads: every public method may be called from any number of threads at once, and by other
 * processes sharing the store. Writes serialise on the store's writer lock ({@link BlobStore#locked});
 * the replayed state is guarded by one monitor, held only to apply events and copy answers, so reads
 * never wait for a writer's I/O. Returned lists and maps are immutable snapshots.
 */
public final class ModelRegistry {
    private static final long MAX_ARTIFACT_BYTES = 64L << 20;
    private static final String BLOB_DIR = "blobs/sha256/";

    private final BlobStore store;
    private final List<PublicKey> trusted;
    /** Refuse unsigned publishes even with an empty trust list (then any intact signature is accepted). */
    private final boolean requireSigned;
    private final Clock clock;
    private final Object stateLock = new Object();
    private final Map<String, List<ModelVersion>> versions = new TreeMap<>();
    private final Map<String, Map<String, Integer>> aliases = new TreeMap<>();
    private final List<RegistryEvent> log = new ArrayList<>();
    /**
     * Per model, the blob key and metadata of the version it last published here, so the signature
     * check of the next publish need not read and parse that artifact again: for a 64 MB model that
     * would double the heap every publish needs. One small entry per model. Guarded by stateLock.
     */
    private final Map<String, Map.Entry<String, Metadata>> signatures = new java.util.HashMap<>();

    /** @param trusted Ed25519 keys whose signatures are accepted; empty to accept unsigned artifacts */
    public ModelRegistry(BlobStore store, Collection<PublicKey> trusted, Clock clock) throws IOException, RegistryException {
        this(store, trusted, !trusted.isEmpty(), clock);
    }

    /**
     * @param trusted       Ed25519 keys whose signatures are accepted; empty: any intact signature
     * @param requireSigned refuse unsigned publishes (UNTRUSTED) even when {@code trusted} is empty;
     *                      {@code serve} sets it unless started with {@code --allow-unsigned}
     */
    public ModelRegistry(BlobStore store, Collection<PublicKey> trusted, boolean requireSigned, Clock clock) throws IOException, RegistryException {
        if (!trusted.isEmpty() && !requireSigned) throw new IllegalArgumentException("a trust list always requires signatures");
        this.store = store;
        this.trusted = List.copyOf(trusted);
        this.requireSigned = requireSigned;
        this.clock = clock;
        refresh();
    }

    public ModelRegistry(BlobStore store) throws IOException, RegistryException {
        this(store, List.of(), Clock.systemUTC());
    }

    static String eventKey(long seq) {
        return String.format("events/%016d.json", seq);
    }

    /**
     * Where an artifact's bytes live. The digest covers every byte before the signature trailer, so
     * the same weights unsigned and signed share it; the signer's key is part of the name so that
     * each copy is kept as published. Ed25519 is deterministic and a broken signature is refused at
     * publish, so (digest, signer) names exactly one byte string. Unsigned keeps the plain name.
     */
    static String blobKey(String sha256, String signer) {
        return BLOB_DIR + sha256 + (signer == null ? "" : "." + signer) + ".wnm";
    }

    /** Reads the events other writers appended since the last look. */
    public void refresh() throws IOException, RegistryException {
        while (true) {
            long next;
            synchronized (stateLock) {
                next = log.size() + 1;
            }
            // the look at the store is outside the lock: every read refreshes first, and readers
            // queued behind one another's I/O made resolve latency grow with the number of clients
            Optional<byte[]> bytes = store.get(eventKey(next));
            if (bytes.isEmpty()) return;
            RegistryEvent e = RegistryEvent.fromJson(bytes.get());
            if (e.sequence() != next) throw new RegistryException(RegistryException.Kind.STORAGE, "event log out of order at " + next);
            synchronized (stateLock) {
                // another thread may have applied it meanwhile
                if (log.size() + 1 == next) apply(e);
            }
        }
    }

    private void apply(RegistryEvent e) throws RegistryException {
        if (e.sequence() != log.size() + 1) throw new RegistryException(RegistryException.Kind.STORAGE, "event log out of order at " + e.sequence());
        switch (e.type()) {
            case PUBLISH:
                versions.computeIfAbsent(e.model(), k -> new ArrayList<>()).add(ModelVersion.builder(e.model(), e.version(), e.sha256()).signer(e.signer()).size(e.size())
                        .family(e.family()).metrics(e.metrics()).tags(e.tags()).uploader(e.actor()).publishedMillis(e.timeMillis()).build());
                // a publish that also points an alias: one event, so one commit
                if (e.alias() != null) aliases.computeIfAbsent(e.model(), k -> new TreeMap<>()).put(e.alias(), e.version());
                break;
            case ALIAS_SET:
                aliases.computeIfAbsent(e.model(), k -> new TreeMap<>()).put(e.alias(), e.version());
                break;
            case ALIAS_REMOVED:
                aliases.getOrDefault(e.model(), new TreeMap<>()).remove(e.alias());
                break;
            case ARCHIVE: {
                List<ModelVersion> vs = versions.get(e.model());
                vs.set(e.version() - 1, vs.get(e.version() - 1).archive());
                break;
            }
            default:
                throw new IllegalStateException();
        }
        log.add(e);
    }

    /** Appends an event under the writer lock; the caller has validated it against refreshed state. */
    private RegistryEvent commit(RegistryEvent e) throws IOException, RegistryException {
        if (!store.putIfAbsent(eventKey(e.sequence()), e.toJson())) {
            throw new RegistryException(RegistryException.Kind.CONFLICT, "event " + e.sequence() + " was written by another writer");
        }
        synchronized (stateLock) {
            // A reader's refresh() may have read the file just created and applied it already (the
            // file is visible before this lock is taken): then the commit is done, not out of order.
            if (log.size() < e.sequence()) apply(e);
        }
        return e;
    }

    /**
     * Verifies and stores an artifact as the model's next version. Nothing changes if the artifact
     * is corrupt, or untrusted while a trust list is set. Publishing bytes identical to a version of
     * the model that is not archived returns that version (so a retried publish is idempotent).
     */
    public ModelVersion publish(String model, byte[] artifact, String uploader, Map<String, String> tags) throws IOException, RegistryException {
        return publish(model, artifact, uploader, tags, false);
    }

    /**
     * As {@link #publish(String, byte[], String, Map)}; unless {@code allowSignatureChange}, an artifact
     * whose input spec or labels differ from the model's current (latest live) version is refused
     * (CONFLICT): every job following an alias of the model would fail to load it.
     */
    public ModelVersion publish(String model, byte[] artifact, String uploader, Map<String, String> tags, boolean allowSignatureChange)
            throws IOException, RegistryException {
        return publish(model, artifact, uploader, tags, allowSignatureChange, null);
    }

    /**
     * As {@link #publish(String, byte[], String, Map, boolean)}, and when {@code alias} is not null it
     * points the alias at the published version in the same commit: one PUBLISH event that names the
     * alias (its {@code previous} is the alias's former target, for rollback). Bytes already published
     * as a live version move the alias to that version with one ALIAS_SET event (none if it is there).
     */
    public ModelVersion publish(String model, byte[] artifact, String uploader, Map<String, String> tags, boolean allowSignatureChange, String alias)
            throws IOException, RegistryException {
        Names.model(model);
        if (alias != null) Names.alias(alias);
        if (artifact.length > MAX_ARTIFACT_BYTES) throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "artifact exceeds " + MAX_ARTIFACT_BYTES + " bytes");
        Artifact a = verify(artifact);
        String sha = a.sha256Hex();
        String signer = ArtifactVerifier.signer(a);
        Metadata meta = a.metadata();
        a = null; // the decoded tensors are not needed past this point; let a large model's copy go
        int published = store.locked(() -> {
            refresh();
            int version = 0;
            synchronized (stateLock) {
                // The same bytes already published under this name (a client retrying after a lost
                // answer, or a double submit) are that version again, not a new one.
                for (ModelVersion existing : versions.getOrDefault(model, List.of())) {
                    if (existing.sha256().equals(sha) && java.util.Objects.equals(existing.signer(), signer) && !existing.archived()) {
                        version = existing.version();
                        break;
                    }
                }
            }
            if (version > 0) {
                Integer at = alias == null ? null : aliasTarget(model, alias);
                if (alias == null || at != null && at == version) return version;
                ModelVersion v = version(model, version);
                commit(RegistryEvent.builder(log.size() + 1, RegistryEvent.Type.ALIAS_SET, model, version).alias(alias)
                        .previousVersion(at == null ? 0 : at).sha256(v.sha256()).signer(v.signer()).size(v.size()).family(v.family())
                        .actor(uploader).timeMillis(clock.millis()).build());
                return version;
            }
            synchronized (stateLock) {
                version = versions.getOrDefault(model, List.of()).size() + 1;
            }
            if (!allowSignatureChange) requireSameSignature(model, meta);
            // written under the lock, so recover() (also under it) never takes a blob about to be referenced for an orphan
            String key = blobKey(sha, signer);
            if (!store.exists(key)) store.put(key, artifact);
            Integer previous = alias == null ? null : aliasTarget(model, alias);
            RegistryEvent committed = commit(RegistryEvent.builder(log.size() + 1, RegistryEvent.Type.PUBLISH, model, version).sha256(sha).signer(signer)
                    .size(artifact.length).family(meta.family()).metrics(meta.metrics()).tags(tags).alias(alias).previousVersion(previous == null ? 0 : previous)
                    .actor(uploader).timeMillis(clock.millis()).build());
            synchronized (stateLock) {
                signatures.put(model, Map.entry(key, meta));
            }
            return committed.version();
        });
        return version(model, published);
    }

    /**
     * Removes what crashed writes left: temporary objects, and blobs that no PUBLISH event references
     * (a publish cut off between its blob and its event). Holds the writer lock, under which every
     * registry write stores its blob, so nothing in flight is taken for a leftover. The registry
     * server calls it at start; returns how many objects it removed.
     */
    public int recover() throws IOException, RegistryException {
        return store.locked(() -> {
            refresh();
            int removed = store.removeTemporaries();
            java.util.Set<String> referenced = new java.util.HashSet<>();
            synchronized (stateLock) {
                for (RegistryEvent e : log) if (e.type() == RegistryEvent.Type.PUBLISH) referenced.add(blobKey(e.sha256(), e.signer()));
            }
            for (String name : store.list(BLOB_DIR)) {
                if (!referenced.contains(BLOB_DIR + name)) {
                    store.delete(BLOB_DIR + name);
                    removed++;
                }
            }
            return removed;
        });
    }

    /** Refuses an artifact whose input or output signature differs from the model's latest live version. */
    private void requireSameSignature(String model, Metadata now) throws IOException, RegistryException {
        ModelVersion current = null;
        synchronized (stateLock) {
            for (ModelVersion v : versions.getOrDefault(model, List.of())) if (!v.archived()) current = v;
        }
        if (current == null) return;
        String key = blobKey(current.sha256(), current.signer());
        Metadata was;
        synchronized (stateLock) {
            Map.Entry<String, Metadata> known = signatures.get(model);
            was = known != null && known.getKey().equals(key) ? known.getValue() : null;
        }
        if (was == null) {
            Optional<byte[]> stored = store.get(key);
            try {
                if (stored.isEmpty()) return; // a lost blob is a storage fault that a new version repairs; it must not block one
                was = ArtifactReader.read(stored.get()).metadata();
            } catch (ModelFormatException corrupt) {
                return; // likewise a corrupt one
            }
        }
        String what = null;
        if (!now.inputSpec().compatibleWith(was.inputSpec())) {
            what = "input " + now.inputSpec() + " differs from " + model + ":" + current.version() + "'s " + was.inputSpec();
        } else if (!now.labels().equals(was.labels())) {
            what = "labels " + Names.abbreviate(now.labels().toString()) + " differ from " + model + ":" + current.version() + "'s "
                    + Names.abbreviate(was.labels().toString());
        }
        if (what != null) {
            throw new RegistryException(RegistryException.Kind.CONFLICT, what + ": jobs following " + model
                    + " could not load it (publish under a new name, or allow the signature change)");
        }
    }

    private Artifact verify(byte[] artifact) throws RegistryException {
        Artifact a;
        try {
            // the bytes are not changed while the Artifact lives (it is dropped before the blob is written)
            a = ArtifactReader.readOwned(artifact);
        } catch (ModelFormatException e) {
            throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "not a valid artifact: " + e.getMessage(), e);
        }
        if (a.signature().isPresent() && !a.signatureIntact()) {
            throw new RegistryException(RegistryException.Kind.BAD_REQUEST, "the artifact's signature does not verify under its embedded key");
        }
        if (requireSigned && a.signature().isEmpty()) {
            // the one refusal an operator meets first: it names the way out
            throw new RegistryException(RegistryException.Kind.UNTRUSTED, trusted.isEmpty()
                    ? "artifact is unsigned and this registry requires signatures (sign it with `winnow sign`, or serve with --allow-unsigned)"
                    : "artifact is unsigned and a trust list is set");
        }
        if (!trusted.isEmpty() && !a.verifySignedBy(trusted)) {
            throw new RegistryException(RegistryException.Kind.UNTRUSTED,
                    a.signature().isPresent() ? "artifact is signed by a key not in the trust list" : "artifact is unsigned and a trust list is set");
        }
        return a;
    }

    /** Points {@code alias} at a version (not archived); returns the event. */
    public RegistryEvent setAlias(String model, String alias, int version, String actor) throws IOException, RegistryException {
        Names.model(model);
        Names.alias(alias);
        return store.locked(() -> {
            refresh();
            ModelVersion v = version(model, version);
            if (v.archived()) throw new RegistryException(RegistryException.Kind.CONFLICT, model + ":" + version + " is archived");
            Integer previous = aliasTarget(model, alias);
            return commit(RegistryEvent.builder(log.size() + 1, RegistryEvent.Type.ALIAS_SET, model, version).alias(alias)
                    .previousVersion(previous == null ? 0 : previous).sha256(v.sha256()).signer(v.signer()).size(v.size()).family(v.family())
                    .actor(actor).timeMillis(clock.millis()).build());
        });
    }

    public RegistryEvent removeAlias(String model, String alias, String actor) throws IOException, RegistryException {
        Names.model(model);
        Names.alias(alias);
        return store.locked(() -> {
            refresh();
            Integer previous = aliasTarget(model, alias);
            if (previous == null) throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no alias " + model + "@" + alias);
            return commit(RegistryEvent.builder(log.size() + 1, RegistryEvent.Type.ALIAS_REMOVED, model, previous).alias(alias)
                    .previousVersion(previous).actor(actor).timeMillis(clock.millis()).build());
        });
    }

    /** Archives a version; an alias still pointing at it must be moved first. */
    public RegistryEvent archive(String model, int version, String actor) throws IOException, RegistryException {
        Names.model(model);
        return store.locked(() -> {
            refresh();
            ModelVersion v = version(model, version);
            if (v.archived()) throw new RegistryException(RegistryException.Kind.CONFLICT, model + ":" + version + " is already archived");
            synchronized (stateLock) {
                for (Map.Entry<String, Integer> a : aliases.getOrDefault(model, Map.of()).entrySet()) {
                    if (a.getValue() == version) throw new RegistryException(RegistryException.Kind.CONFLICT, "alias " + a.getKey() + " still points at version " + version);
                }
            }
            return commit(RegistryEvent.builder(log.size() + 1, RegistryEvent.Type.ARCHIVE, model, version).sha256(v.sha256())
                    .actor(actor).timeMillis(clock.millis()).build());
        });
    }

    /** Moves an alias back to the version it pointed at before its last move. */
    public RegistryEvent rollback(String model, String alias, String actor) throws IOException, RegistryException {
        refresh();
        int previous = 0;
        synchronized (stateLock) {
            for (int i = log.size() - 1; i >= 0; i--) {
                RegistryEvent e = log.get(i);
                if (e.model().equals(model) && alias.equals(e.alias()) && e.movesAlias()) {
                    previous = e.previousVersion();
                    break;
                }
            }
        }
        if (previous == 0) throw new RegistryException(RegistryException.Kind.CONFLICT, model + "@" + alias + " has no earlier version to roll back to");
        return setAlias(model, alias, previous, actor);
    }

    public List<String> models() throws IOException, RegistryException {
        refresh();
        synchronized (stateLock) {
            return List.copyOf(versions.keySet());
        }
    }

    public List<ModelVersion> versions(String model) throws IOException, RegistryException {
        Names.model(model);
        refresh();
        synchronized (stateLock) {
            List<ModelVersion> vs = versions.get(model);
            if (vs == null) throw new RegistryException(RegistryException.Kind.NOT_FOUND, "unknown model '" + model + "'");
            return List.copyOf(vs);
        }
    }

    public ModelVersion version(String model, int version) throws RegistryException {
        synchronized (stateLock) {
            List<ModelVersion> vs = versions.get(model);
            if (vs == null) throw new RegistryException(RegistryException.Kind.NOT_FOUND, "unknown model '" + model + "'");
            if (version < 1 || version > vs.size()) throw new RegistryException(RegistryException.Kind.NOT_FOUND, "model '" + model + "' has no version " + version);
            return vs.get(version - 1);
        }
    }

    public Map<String, Integer> aliases(String model) throws IOException, RegistryException {
        versions(model);
        synchronized (stateLock) {
            return Map.copyOf(aliases.getOrDefault(model, Map.of()));
        }
    }

    private Integer aliasTarget(String model, String alias) {
        synchronized (stateLock) {
            return aliases.getOrDefault(model, Map.of()).get(alias);
        }
    }

    /** Resolves {@code name@alias} or {@code name:version} (or a bare name, meaning the latest version). */
    public ModelVersion resolve(String reference) throws IOException, RegistryException {
        refresh();
        ModelReference ref = ModelReference.parse(reference);
        if (ref.alias() != null) {
            Integer v = aliasTarget(ref.model(), ref.alias());
            if (v == null) {
                version(ref.model(), 1); // unknown model gets its own message
                throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no alias " + reference);
            }
            return version(ref.model(), v);
        }
        if (ref.version() > 0) return version(ref.model(), ref.version());
        List<ModelVersion> vs = versions(ref.model());
        return vs.get(vs.size() - 1);
    }

    /** The artifact bytes of a version, verified against its digest (and the trust list) on every read. */
    public byte[] artifact(ModelVersion v) throws IOException, RegistryException {
        byte[] b = store.get(blobKey(v.sha256(), v.signer()))
                .orElseThrow(() -> new RegistryException(RegistryException.Kind.STORAGE, "artifact of " + v.model() + ":" + v.version() + " is missing from the store"));
        Artifact a;
        try {
            a = ArtifactReader.readOwned(b); // b is only read, here and by the caller: no copy of a large model
        } catch (ModelFormatException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "stored artifact of " + v.model() + ":" + v.version() + " is corrupt: " + e.getMessage(), e);
        }
        if (!a.sha256Hex().equals(v.sha256())) throw new RegistryException(RegistryException.Kind.STORAGE, "stored artifact does not match its digest");
        // no signer recorded: unsigned, or a version published before signers were recorded, whose blob may be signed
        if (v.signer() != null && !v.signer().equals(ArtifactVerifier.signer(a))) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "stored artifact of " + v.model() + ":" + v.version() + " is not signed as it was published");
        }
        if (!trusted.isEmpty() && !a.verifySignedBy(trusted)) throw new RegistryException(RegistryException.Kind.UNTRUSTED, "stored artifact is not signed by a trusted key");
        return b;
    }

    /** Events with sequence numbers above {@code after}, at most {@code max}. */
    public List<RegistryEvent> events(long after, int max) throws IOException, RegistryException {
        refresh();
        synchronized (stateLock) {
            int from = (int) Math.max(0, Math.min(after, log.size()));
            return List.copyOf(log.subList(from, Math.min(log.size(), from + Math.max(0, max))));
        }
    }

    public long lastSequence() {
        synchronized (stateLock) {
            return log.size();
        }
    }
}
