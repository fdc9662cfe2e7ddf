package dev.winnow.examples.io;

import dev.winnow.flink.model.RegistryConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which versions a job that follows a registry loads (a picocli mixin): those signed by one of the
 * {@code --trust} keys, or with {@code --allow-unsigned} unsigned ones too. Shared by {@link ModelOptions}
 * and the jobs that name their model their own way.
 */
public final class RegistryTrustOptions {
    @Option(names = "--trust", description = "Ed25519 public key (PEM) whose signed versions the job loads from --registry; repeatable")
    public List<Path> trust = new ArrayList<>();

    @Option(names = "--allow-unsigned", description = "with --registry and no --trust, load unsigned versions too (by default the job refuses to start)")
    public boolean allowUnsigned;

    /**
     * The connection to {@code registry} (a directory or URL), null without one. Signed by default: a
     * registry job needs --trust (versions not signed by one of those keys are never loaded: the serving
     * version stays and the refusal is logged and counted in modelSwapsFailed) or an explicit --allow-unsigned.
     */
    public RegistryConnection connection(String registry) {
        if (registry == null) {
            if (!trust.isEmpty() || allowUnsigned) throw new IllegalArgumentException("--trust and --allow-unsigned apply to --registry");
            return null;
        }
        if (!trust.isEmpty() && allowUnsigned) throw new IllegalArgumentException("--trust and --allow-unsigned contradict each other: give one");
        if (trust.isEmpty() && !allowUnsigned) {
            throw new IllegalArgumentException("--registry needs --trust <pem> (the keys whose signed versions the job loads) or --allow-unsigned");
        }
        return allowUnsigned ? RegistryConnection.of(registry, trust).allowingUnsigned() : RegistryConnection.of(registry, trust);
    }
}
