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
 *
 * <p>Threads: implementations are safe for any number of threads (and processes) at once; {@link
 * #locked} serialises writers across both. {@link #delete} and {@link #removeTemporaries} are only for
 * a writer holding {@link #locked}, because another writer's temporary object is in use until its put
 * returns.
 */
public interface BlobStore {
    Optional<byte[]> get(String key) throws IOException;

    /** Atomically creates or replaces the object. */
    void put(String key, byte[] data) throws IOException;

    /** Atomically creates the object unless it exists; returns false when it did. */
    boolean putIfAbsent(String key, byte[] data) throws IOException;

    boolean exists(String key) throws IOException;

    /** Deletes the object if it exists; call holding {@link #locked}. */
    void delete(String key) throws IOException;

    /**
     * Deletes the temporary objects that puts cut off by a crash left anywhere in the store, and
     * returns how many. Call holding {@link #locked}: with every registry write under that lock, any
     * temporary object seen then belongs to no live put.
     */
    int removeTemporaries() throws IOException;

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
