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
        // a version named by its number and digest (a job's change-feed update) carries no signer, which is part of
        // the blob's key: take the registry's own record of that version, and insist it is the same digest
        ModelVersion recorded = version;
        if (version.signer() == null) {
            registry.refresh();
            recorded = registry.version(version.model(), version.version());
            if (!recorded.sha256().equals(version.sha256())) {
                throw new RegistryException(RegistryException.Kind.STORAGE, version.model() + ":" + version.version() + " is " + recorded.sha256()
                        + " in the registry, not " + version.sha256());
            }
        }
        byte[] b = registry.artifact(recorded);
        ArtifactVerifier.verify(b, recorded, trusted);
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
