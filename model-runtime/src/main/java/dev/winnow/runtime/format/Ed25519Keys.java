package dev.winnow.runtime.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Ed25519 keys for signing artifacts: generation, raw 32-byte public keys, and PEM files. */
public final class Ed25519Keys {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw key follows. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Keys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    public static byte[] rawPublicKey(PublicKey key) {
        byte[] enc = key.getEncoded();
        if (enc.length != X509_PREFIX.length + 32 || !Arrays.equals(Arrays.copyOf(enc, X509_PREFIX.length), X509_PREFIX)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(enc, X509_PREFIX.length, enc.length);
    }

    public static PublicKey publicKeyFromRaw(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) throw new GeneralSecurityException("an Ed25519 public key has 32 bytes, got " + raw.length);
        byte[] enc = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, enc, X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(enc));
    }

    /** Hex of the raw public key: how trust lists and `winnow verify` name a signer. */
    public static String fingerprint(PublicKey key) {
        return Hex.of(rawPublicKey(key));
    }

    public static void writePem(Path file, PublicKey key) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()));
    }

    /**
     * Writes the private key readable by its owner only (0600 where the file system has POSIX
     * permissions). The key goes into a new file created with those permissions and is then
     * renamed over the target, so it is never readable by others, not even briefly, and replacing
     * an existing 0644 file does not keep that file's permissions.
     */
    public static void writePem(Path file, PrivateKey key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Path tmp = posix
                ? Files.createTempFile(dir, ".key-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".key-", ".tmp");
        try {
            Files.writeString(tmp, pem("PRIVATE KEY", key.getEncoded()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static PublicKey readPublicPem(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " does not hold an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivatePem(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " does not hold an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String s = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int a = s.indexOf(begin);
        int b = s.indexOf(end);
        if (a < 0 || b < a) throw new IOException(file + ": no " + type + " PEM block");
        return Base64.getMimeDecoder().decode(s.substring(a + begin.length(), b));
    }
}
