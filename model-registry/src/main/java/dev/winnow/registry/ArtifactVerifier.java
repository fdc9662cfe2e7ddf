package dev.winnow.registry;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.ModelFormatException;
import java.security.PublicKey;
import java.util.List;

/** The checks every fetched artifact passes: a valid file, the expected digest, a trusted signature when a trust list is set. */
final class ArtifactVerifier {
    private ArtifactVerifier() {}

    /** Hex of the raw key in the artifact's signature trailer; null when unsigned. */
    static String signer(Artifact a) {
        return a.signature().map(sig -> dev.winnow.runtime.format.Hex.of(sig.publicKey())).orElse(null);
    }

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
        // no signer recorded: unsigned, or published before the registry recorded signers (then the
        // blob may be signed); the trust list below still decides
        if (v.signer() != null && !v.signer().equals(signer(a))) {
            throw new RegistryException(RegistryException.Kind.STORAGE, "artifact of " + v.model() + ":" + v.version() + " is not signed by the key the registry names");
        }
        if (!trusted.isEmpty() && !a.verifySignedBy(trusted)) {
            throw new RegistryException(RegistryException.Kind.UNTRUSTED, "artifact of " + v.model() + ":" + v.version() + " is not signed by a trusted key");
        }
    }
}
