package dev.winnow.registry;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.ModelFormatException;
import java.security.PublicKey;
import java.util.List;

/** The checks every fetched artifact passes: a valid file, the expected digest, a trusted signature when a trust list is set. */
final class ArtifactVerifier {
    private ArtifactVerifier() {}

    static void verify(byte[] bytes, ModelVersion v, List<PublicKey> trusted) throws RegistryException {
        Artifact a;
        try {
            a = ArtifactReader.read(bytes);
        } catch (ModelFormatException e) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "artifact of " + v.model() + ":" + v.version() + " is corrupt: " + e.getMessage(), e);
        }
        if (!a.sha256Hex().equals(v.sha256())) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "artifact of " + v.model() + ":" + v.version() + " has digest "
                    + a.sha256Hex() + ", the registry says " + v.sha256());
        }
        if (!trusted.isEmpty() && !a.verifySignedBy(trusted)) {
            throw new RegistryException(RegistryException.Kind.UNTRUSTED, "artifact of " + v.model() + ":" + v.version() + " is not signed by a trusted key");
        }
    }
}
