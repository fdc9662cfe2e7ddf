package dev.winnow.runtime.format;

import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A read and validated `.wnm` artifact. Immutable and safe to share between threads. */
public final class Artifact {
    private final byte[] bytes;
    private final Metadata metadata;
    private final List<TensorData> tensors;
    private final Map<String, TensorData> byName;
    private final byte[] sha256;
    private final ArtifactSignature signature;
    private final int majorVersion;
    private final int minorVersion;

    Artifact(byte[] bytes, int majorVersion, int minorVersion, Metadata metadata, List<TensorData> tensors,
             byte[] sha256, ArtifactSignature signature) {
        this.bytes = bytes;
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        Map<String, TensorData> m = new LinkedHashMap<>();
        for (TensorData t : tensors) m.put(t.name(), t);
        this.byName = m;
        this.sha256 = sha256;
        this.signature = signature;
    }

    public Metadata metadata() { return metadata; }
    public List<TensorData> tensors() { return tensors; }
    public int majorVersion() { return majorVersion; }
    public int minorVersion() { return minorVersion; }

    public boolean hasTensor(String name) {
        return byName.containsKey(name);
    }

    public TensorData tensor(String name) throws ModelFormatException {
        TensorData t = byName.get(name);
        if (t == null) throw new ModelFormatException("artifact '" + metadata.name() + "' has no tensor named '" + name + "'");
        return t;
    }

    /** SHA-256 of the artifact body, as stored in (and checked against) the file. */
    public byte[] sha256() { return sha256.clone(); }

    public String sha256Hex() { return Hex.of(sha256); }

    public Optional<ArtifactSignature> signature() { return Optional.ofNullable(signature); }

    /** The artifact's bytes exactly as read. */
    public byte[] bytes() { return bytes.clone(); }

    public int sizeBytes() { return bytes.length; }

    /** True when the artifact carries a signature that verifies under {@code key}. */
    public boolean verifySignature(PublicKey key) {
        return signature != null && signature.verifies(sha256, key);
    }

    /** True when the artifact is signed by one of the trusted keys (fail closed: unsigned is false). */
    public boolean verifySignedBy(Collection<PublicKey> trusted) {
        if (signature == null) return false;
        for (PublicKey k : trusted) if (signature.verifies(sha256, k)) return true;
        return false;
    }

    /** True when the embedded signature verifies under the embedded key: intact, though not necessarily trusted. */
    public boolean signatureIntact() {
        return signature != null && signature.verifies(sha256);
    }

    @Override
    public String toString() {
        return "Artifact{" + metadata.name() + " (" + metadata.family() + "), " + tensors.size() + " tensors, "
                + bytes.length + " B, sha256=" + sha256Hex().substring(0, 12) + (signature != null ? ", signed" : "") + "}";
    }
}
