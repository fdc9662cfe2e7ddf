package dev.winnow.runtime.format;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** The Ed25519 signature trailer of an artifact: the signer's raw public key and the signature. */
public record ArtifactSignature(byte[] publicKey, byte[] signature) {
    static final byte[] TAG = {'S', 'I', 'G', '1'};
    /** Trailer of an unsigned artifact. A trailer is always present so that cutting off a signature is detected. */
    static final byte[] UNSIGNED_TAG = {'N', 'S', 'I', 'G'};
    static final int TRAILER_BYTES = 4 + 32 + 64;
    private static final byte[] DOMAIN = "winnow-artifact-v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public ArtifactSignature {
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** What is signed: a domain tag, so a signature over an artifact digest means nothing elsewhere, then the digest. */
    static byte[] message(byte[] digest) {
        byte[] m = new byte[DOMAIN.length + digest.length];
        System.arraycopy(DOMAIN, 0, m, 0, DOMAIN.length);
        System.arraycopy(digest, 0, m, DOMAIN.length, digest.length);
        return m;
    }

    /** True when this signature over {@code digest} verifies with its own embedded public key. */
    boolean verifies(byte[] digest) {
        try {
            return verifies(digest, Ed25519Keys.publicKeyFromRaw(publicKey));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static boolean verifies(byte[] digest, byte[] sig, PublicKey key) {
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(message(digest));
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    boolean verifies(byte[] digest, PublicKey key) {
        return verifies(digest, signature, key);
    }
}
