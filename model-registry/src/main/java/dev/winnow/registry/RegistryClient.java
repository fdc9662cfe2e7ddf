package dev.winnow.registry;

import java.io.IOException;
import java.util.List;

/**
 * What a running job needs from a registry: resolve a reference, fetch a verified artifact, follow
 * the change feed. {@link HttpRegistryClient} talks to a registry server; {@link LocalRegistryClient}
 * reads a registry directory in-process (the embedded default).
 */
public interface RegistryClient extends AutoCloseable {
    ModelVersion resolve(String reference) throws IOException, RegistryException;

    /** The artifact's bytes, checked against the version's digest and the client's trust list. */
    byte[] fetch(ModelVersion version) throws IOException, RegistryException;

    /** Events after {@code after}; waits up to {@code waitSeconds} for at least one. */
    List<RegistryEvent> events(long after, int waitSeconds) throws IOException, RegistryException;

    @Override
    default void close() {}
}
