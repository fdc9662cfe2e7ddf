package dev.winnow.tools.cli;

import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow keygen NAME}: an Ed25519 key pair as NAME.key.pem (owner-only) and NAME.pub.pem; never replaces a key without --force. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create an Ed25519 signing key pair (NAME.key.pem, NAME.pub.pem).")
final class KeygenCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "path prefix for the two files") Path prefix;
    @Option(names = "--force", description = "replace an existing key pair (signatures by the old key then no longer match any key file)") boolean force;

    @Override
    public Integer call() throws Exception {
        Path priv = Path.of(prefix + ".key.pem"), pub = Path.of(prefix + ".pub.pem");
        // a lost private key cannot be recovered: overwriting one takes an explicit --force
        for (Path p : new Path[] {priv, pub}) {
            if (!force && Files.exists(p)) {
                spec.commandLine().getErr().println("winnow: " + p + " already exists: give --force to replace the key pair");
                return Exits.USAGE;
            }
        }
        KeyPair k = Ed25519Keys.generate();
        Ed25519Keys.writePem(priv, k.getPrivate());
        Ed25519Keys.writePem(pub, k.getPublic());
        spec.commandLine().getOut().printf("%s (keep private)%n%s  fingerprint %s%n", priv, pub, Ed25519Keys.fingerprint(k.getPublic()).substring(0, 16));
        return 0;
    }
}
