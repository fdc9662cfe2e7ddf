package dev.winnow.examples.io;

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

    /** True when the job follows a registry alias rather than a fixed artifact. */
    public boolean followsRegistry() {
        return registry != null;
    }

    /** How the summaries name the model. */
    public String label() {
        return FrameModels.label(model, registry);
    }
}
