package dev.winnow.examples.io;

import dev.winnow.flink.model.RegistryConnection;
import picocli.CommandLine.Mixin;
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

    @Mixin public RegistryTrustOptions trust = new RegistryTrustOptions();

    /** The registry the job follows, null without --registry; see {@link RegistryTrustOptions#connection}. */
    public RegistryConnection connection() {
        return trust.connection(registry);
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
