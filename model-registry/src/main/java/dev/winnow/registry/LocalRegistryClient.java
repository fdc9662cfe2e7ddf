package dev.winnow.registry;

import java.io.IOException;
import java.security.PublicKey;
import java.util.List;

/** A client over a registry in this process (a local directory): the embedded default. */
public final class LocalRegistryClient implements RegistryClient {
    private final ModelRegistry registry;
    private final List<PublicKey> trusted;

    public LocalRegistryClient(ModelRegistry registry, List<PublicKey> trusted) {
        this.registry = registry;
        this.trusted = List.copyOf(trusted);
    }

    @Override
    public ModelVersion resolve(String reference) throws IOException, RegistryException {
        return registry.resolve(reference);
    }

    @Override
    public byte[] fetch(ModelVersion version) throws IOException, RegistryException {
        byte[] b = registry.artifact(version);
        ArtifactVerifier.verify(b, version, trusted);
        return b;
    }

    @Override
    public List<RegistryEvent> events(long after, int waitSeconds) throws IOException, RegistryException {
        long deadline = System.currentTimeMillis() + 1000L * waitSeconds;
        List<RegistryEvent> e = registry.events(after, 500);
        while (e.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                break;
            }
            e = registry.events(after, 500);
        }
        return e;
    }
}
