package dev.winnow.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The storage primitive under a registry: named immutable or replaceable byte objects in a
 * hierarchy of '/'-separated keys. Implementations make {@link #put} atomic (readers see the old
 * or the new object, never a part) and {@link #putIfAbsent} exclusive (of two writers of the same
 * key exactly one succeeds) — the two properties the registry's crash and concurrency guarantees
 * rest on.
 */
public interface BlobStore {
    Optional<byte[]> get(String key) throws IOException;

    /** Atomically creates or replaces the object. */
    void put(String key, byte[] data) throws IOException;

    /** Atomically creates the object unless it exists; returns false when it did. */
    boolean putIfAbsent(String key, byte[] data) throws IOException;

    boolean exists(String key) throws IOException;

    /** Names of the objects directly under a prefix ("models/" lists model names). */
    List<String> list(String prefix) throws IOException;

    /**
     * Runs {@code body} holding the store's writer lock, which excludes other writers in this JVM
     * and in other processes sharing the store.
     */
    <T> T locked(IoSupplier<T> body) throws IOException, RegistryException;

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException, RegistryException;
    }
}
