package dev.winnow.tools.detect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The keys adapt publishes with, shared by {@code winnow detector adapt} and the adapt worker that runs it
 * for flagged cameras, so both take the same options with the same defaults and the worker forwards them as given:
 * the key pair that signs a published student ({@code --key}) and the public keys the registries must be signed
 * by ({@code --trust}). A picocli mixin: filled on the thread that parses the command line, then only read.
 */
public final class SigningOptions {
    @Option(names = "--key", description = "signing key prefix as 'winnow keygen' writes it (PREFIX.key.pem, PREFIX.pub.pem) (default: $WINNOW_SIGNING_KEY)")
    String key = System.getenv("WINNOW_SIGNING_KEY");
    @Option(names = "--trust", description = "Ed25519 public key (PEM) the registries require signatures from; repeatable")
    List<Path> trust = new ArrayList<>();

    /** Whether there is a key to sign with (given, or in {@code WINNOW_SIGNING_KEY}). */
    public boolean hasKey() {
        return key != null && !key.isBlank();
    }

    /** These options as adapt's command line takes them. */
    public List<String> arguments() {
        List<String> a = new ArrayList<>();
        if (hasKey()) a.addAll(List.of("--key", key));
        for (Path t : trust) a.addAll(List.of("--trust", t.toString()));
        return a;
    }
}
