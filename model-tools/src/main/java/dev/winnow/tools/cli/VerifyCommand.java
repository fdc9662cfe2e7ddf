package dev.winnow.tools.cli;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ArtifactReader;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.format.Hex;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import dev.winnow.registry.cli.Exits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code winnow verify --key pub.pem model.wnm}: the artifact's format and SHA-256 digest (every
 * byte before the trailer), then its Ed25519 signature under the given key. Fails closed: only an
 * intact artifact signed by that key passes.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check an artifact's digest and its Ed25519 signature under a public key.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:digest intact and signed by the key",
            "2:usage error",
            "3:not a valid artifact, or its digest does not match its contents (corrupt or tampered)",
            "4:unsigned",
            "5:signed by a different key",
            "6:signature does not verify (tampered signature or digest)",
            "7:the artifact or key file cannot be read"})
final class VerifyCommand implements Callable<Integer> {
    static final int OK = Exits.OK, UNREADABLE = Exits.INPUT, INVALID = Exits.INVALID_ARTIFACT, UNSIGNED = Exits.UNSIGNED,
            OTHER_KEY = Exits.UNTRUSTED_KEY, BAD_SIGNATURE = Exits.BAD_SIGNATURE;

    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "artifact (.wnm)") Path file;
    @Option(names = "--key", required = true, description = "the signer's Ed25519 public key (PEM)") Path key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        PublicKey pub;
        byte[] bytes;
        try {
            pub = Ed25519Keys.readPublicPem(key);
        } catch (Exception e) {
            err.println("cannot read public key " + key + ": " + e.getMessage());
            return UNREADABLE;
        }
        try {
            bytes = Files.readAllBytes(file);
        } catch (Exception e) {
            err.println("cannot read " + file + ": " + e);
            return UNREADABLE;
        }
        Artifact a;
        try {
            a = ArtifactReader.read(bytes);
        } catch (ModelFormatException e) {
            err.println("FAIL " + file + ": not a valid artifact: " + e.getMessage());
            return INVALID;
        }
        String head = String.format("%s  %s  %,d B  sha256 %s  digest ok", file.getFileName(), a.metadata().name(), a.sizeBytes(), a.sha256Hex().substring(0, 16));
        String want = Ed25519Keys.fingerprint(pub).substring(0, 16);
        if (a.signature().isEmpty()) {
            err.println("FAIL " + head + ", unsigned (wanted a signature by key " + want + ")");
            return UNSIGNED;
        }
        if (a.verifySignature(pub)) {
            out.println("OK   " + head + ", signed by key " + want);
            return OK;
        }
        String embedded = Hex.of(a.signature().get().publicKey()).substring(0, 16);
        if (a.signatureIntact()) {
            err.println("FAIL " + head + ", signed by a different key " + embedded + " (wanted " + want + ")");
            return OTHER_KEY;
        }
        err.println("FAIL " + head + ", signature does not verify (embedded key " + embedded + "): tampered signature");
        return BAD_SIGNATURE;
    }
}
