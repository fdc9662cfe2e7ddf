package dev.winnow.examples.io;

import dev.winnow.flink.sensor.SensorGroups;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which sensor group follows which registry alias, for the sensor jobs that follow a registry
 * ({@code sensor-events}, {@code sensor-states}): the group aliases and the two ways to say which
 * group a sensor is in (a CSV, a separator in its id).
 */
public final class SensorGroupOptions {
    @Option(names = "--group-alias", paramLabel = "group=alias", description = "with --registry: the sensors of this group follow their own alias of "
            + "--model's model (repeatable; e.g. hall-a=hall-a); other sensors follow --model's alias. A group whose alias does not exist stays on --model's, with one warning")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--groups", description = "CSV sensor,group: which group each sensor is in (for --group-alias)")
    Path csv;

    @Option(names = "--group-separator", description = "a sensor not in --groups is in the group named by its id up to the first occurrence of this "
            + "separator (e.g. '/': pump-a/s1 is in pump-a); without it such a sensor has no group")
    String separator;

    /** The {@code group=alias} specs, as the per-group operators' builders take them. */
    public List<String> aliases() {
        return aliases;
    }

    /** Refuses, in one line, group options without a registry and group aliases with no way to group the sensors. */
    public void check(boolean followsRegistry) {
        if (!followsRegistry && (!aliases.isEmpty() || csv != null || separator != null)) {
            throw new IllegalArgumentException("--group-alias, --groups and --group-separator apply to --registry");
        }
        if (!aliases.isEmpty() && csv == null && separator == null) {
            throw new IllegalArgumentException("--group-alias needs --groups <csv> or --group-separator to say which sensors are in which group");
        }
    }

    /** The sensor → group map of --groups and --group-separator. */
    public SensorGroups groups() throws IOException {
        SensorGroups g = csv == null ? SensorGroups.none() : SensorGroups.read(csv);
        return separator == null ? g : g.withPrefixRule(separator);
    }
}
