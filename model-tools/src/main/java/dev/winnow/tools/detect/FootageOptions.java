package dev.winnow.tools.detect;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which of a camera's footage adapt reads, shared by {@code winnow detector adapt} and the adapt worker that runs it
 * for flagged cameras, so both take the same options with the same defaults and the worker forwards them as given.
 */
public final class FootageOptions {
    @Option(names = "--minutes", defaultValue = "10", description = "minutes of footage from the start that the teacher labels for fine-tuning (default: ${DEFAULT-VALUE})")
    double minutes;
    @Option(names = "--validate-minutes", defaultValue = "2", description = "minutes after those that both models are checked on against the teacher (default: ${DEFAULT-VALUE})")
    double validateMinutes;
    @Option(names = "--sample-fps", defaultValue = "2", description = "frames per second the teacher labels, in both slices (default: ${DEFAULT-VALUE})")
    double sampleFps;
    @Option(names = "--camera-fps", defaultValue = "25", description = "a frame directory's frame rate, which places its files in time (default: ${DEFAULT-VALUE})")
    double cameraFps;

    /** Refuses values adapt cannot work with, as a usage error of {@code cl}. */
    public void validate(CommandLine cl) {
        if (!(minutes > 0) || !(validateMinutes > 0)) throw new CommandLine.ParameterException(cl, "--minutes and --validate-minutes must be > 0");
        if (!(sampleFps > 0) || !(cameraFps > 0)) throw new CommandLine.ParameterException(cl, "--sample-fps and --camera-fps must be > 0");
    }

    /** These options as adapt's command line takes them. */
    public List<String> arguments() {
        return List.of("--minutes", Double.toString(minutes), "--validate-minutes", Double.toString(validateMinutes),
                "--sample-fps", Double.toString(sampleFps), "--camera-fps", Double.toString(cameraFps));
    }
}
