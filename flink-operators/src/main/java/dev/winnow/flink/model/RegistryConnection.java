package dev.winnow.flink.model;

import dev.winnow.registry.HttpRegistryClient;
import dev.winnow.registry.RegistryLocations;
import dev.winnow.registry.LocalRegistryClient;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.RegistryClient;
import dev.winnow.registry.RegistryException;
import dev.winnow.runtime.format.Ed25519Keys;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a task reaches the model registry, serializable with the job: a registry directory (read
 * in-process; on a cluster, a shared file system path) or a registry server URL with a local cache
 * directory. Signed by default: the trusted Ed25519 public keys (PEM paths) make every load fail
 * closed on an unsigned or foreign-signed version; with none, {@link #open} refuses unless the
 * connection was made with {@link #allowingUnsigned()}, so accepting unsigned artifacts is always
 * stated where the connection is built.
 */
public final class RegistryConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String url;
    private final String cacheDir;
    private final List<String> trustedKeyPems;
    private final boolean allowUnsigned;

    private RegistryConnection(String dir, String url, String cacheDir, List<String> trustedKeyPems, boolean allowUnsigned) {
        this.dir = dir;
        this.url = url;
        this.cacheDir = cacheDir;
        this.trustedKeyPems = List.copyOf(trustedKeyPems);
        this.allowUnsigned = allowUnsigned;
    }

    private RegistryConnection(String dir, String url, String cacheDir, List<String> trustedKeyPems) {
        this(dir, url, cacheDir, trustedKeyPems, false);
    }

    /** This connection, loading unsigned (and any-key) versions too; only without trusted keys. */
    public RegistryConnection allowingUnsigned() {
        if (!trustedKeyPems.isEmpty()) throw new IllegalArgumentException("trusted keys and allowing unsigned artifacts contradict each other");
        return new RegistryConnection(dir, url, cacheDir, trustedKeyPems, true);
    }

    /** True when loads accept unsigned versions (no trust list, stated with {@link #allowingUnsigned()}). */
    public boolean allowsUnsigned() {
        return allowUnsigned;
    }

    public static RegistryConnection directory(Path dir, List<Path> trustedKeys) {
        return new RegistryConnection(dir.toString(), null, null, trustedKeys.stream().map(Path::toString).toList());
    }

    public static RegistryConnection server(URI url, Path cacheDir, List<Path> trustedKeys) {
        return new RegistryConnection(null, url.toString(), cacheDir == null ? null : cacheDir.toString(), trustedKeys.stream().map(Path::toString).toList());
    }

    /**
     * A registry named by a location string: an {@code http(s)://} URL, or a store location that
     * {@link RegistryLocations#open} reads in the task (a directory, {@code s3://bucket/prefix},
     * {@code hdfs://namenode/path}, through the cluster's Flink file systems).
     */
    public static RegistryConnection of(String location, List<Path> trustedKeys) {
        if (location.startsWith("http://") || location.startsWith("https://")) return server(URI.create(location), null, trustedKeys);
        // kept as given: Path.of("hdfs:///r") would collapse "//" and name a local folder "hdfs:"
        return new RegistryConnection(location, null, null, trustedKeys.stream().map(Path::toString).toList());
    }

    /** Opens a client; call from a function's open(). */
    public RegistryClient open() throws IOException, RegistryException {
        if (trustedKeyPems.isEmpty() && !allowUnsigned) {
            throw new IllegalArgumentException(this + ": no trusted keys; name the keys whose signed versions load, or allow unsigned artifacts explicitly");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (String p : trustedKeyPems) keys.add(Ed25519Keys.readPublicPem(Path.of(p)));
        if (url != null) return new HttpRegistryClient(URI.create(url), null, cacheDir == null ? null : Path.of(cacheDir), keys, 5, Duration.ofMillis(200));
        return new LocalRegistryClient(new ModelRegistry(RegistryLocations.open(dir)), keys);
    }

    @Override
    public String toString() {
        return url != null ? "registry " + url : RegistryLocations.isLocal(dir) ? "registry dir " + dir : "registry " + dir;
    }
}
