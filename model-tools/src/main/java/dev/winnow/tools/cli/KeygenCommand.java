package dev.winnow.tools.cli;

import dev.winnow.runtime.format.Ed25519Keys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow keygen NAME}: an Ed25519 key pair as NAME.key.pem and NAME.pub.pem. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create an Ed25519 signing key pair (NAME.key.pem, NAME.pub.pem).")
final class KeygenCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "path prefix for the two files") Path prefix;

    @Override
    public Integer call() throws Exception {
        KeyPair k = Ed25519Keys.generate();
        Path priv = Path.of(prefix + ".key.pem"), pub = Path.of(prefix + ".pub.pem");
        Ed25519Keys.writePem(priv, k.getPrivate());
        Ed25519Keys.writePem(pub, k.getPublic());
        spec.commandLine().getOut().printf("%s (keep private)%n%s  fingerprint %s%n", priv, pub, Ed25519Keys.fingerprint(k.getPublic()).substring(0, 16));
        return 0;
    }
}
