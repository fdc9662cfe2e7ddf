package dev.winnow.tools.cli;

import dev.winnow.runtime.format.ArtifactWriter;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.format.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code winnow sign}: add or replace an artifact's Ed25519 signature. {@code winnow verify --key} checks it. */
@Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign an artifact with an Ed25519 key (the body and digest stay the same).")
final class SignCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Parameters(description = "artifact (.wnm), signed in place unless -o is given") Path file;
    @Option(names = "--key", required = true, description = "private key PEM") Path key;
    @Option(names = "--pub", required = true, description = "public key PEM (embedded so verifiers can match trust lists)") Path pub;
    @Option(names = {"-o", "--output"}, description = "write the signed artifact here instead of replacing the input") Path output;

    @Override
    public Integer call() throws Exception {
        // an invalid artifact throws ModelFormatException: exit 3 (Exits)
        byte[] signed = ArtifactWriter.sign(Files.readAllBytes(file), Ed25519Keys.readPrivatePem(key), Ed25519Keys.readPublicPem(pub));
        Path target = output != null ? output : file;
        Files.write(target, signed);
        spec.commandLine().getOut().printf("signed %s with key %s%n", target, Ed25519Keys.fingerprint(Ed25519Keys.readPublicPem(pub)).substring(0, 16));
        return 0;
    }
}
