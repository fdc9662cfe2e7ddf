package dev.winnow.examples.io;

import dev.winnow.flink.model.RegistryConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which model a job scores with: the bundled one, an artifact, or a registry alias the job follows
 * as it moves (hot swaps). Shared by the frame and sensor jobs.
 */
public final class ModelOptions {
    @Option(names = "--model", defaultValue = "bundled", description = "bundled, a .wnm path, or name@alias with --registry (default: ${DEFAULT-VALUE})")
    public String model;

    @Option(names = "--registry", description = "registry directory or URL: follow --model's alias as it moves")
    public String registry;

    @Option(names = "--trust", description = "Ed25519 public key (PEM) whose signed versions the job loads from --registry; repeatable")
    public List<Path> trust = new ArrayList<>();

    @Option(names = "--allow-unsigned", description = "with --registry and no --trust, load unsigned versions too (by default the job refuses to start)")
    public boolean allowUnsigned;

    /**
     * The registry the job follows, null without --registry. Signed by default: a registry job needs
     * --trust (versions not signed by one of those keys are never loaded: the serving version stays and
     * the refusal is logged and counted in modelSwapsFailed) or an explicit --allow-unsigned.
     */
    public RegistryConnection connection() {
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

    /** True when the job follows a registry alias rather than a fixed artifact. */
    public boolean followsRegistry() {
        return registry != null;
    }

    /** How the summaries name the model. */
    public String label() {
        return FrameModels.label(model, registry);
    }
}
