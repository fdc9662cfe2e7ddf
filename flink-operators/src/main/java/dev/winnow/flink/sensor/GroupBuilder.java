package dev.winnow.flink.sensor;

import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.RegistryConnection;
import java.util.List;
import java.util.Objects;

/**
 * What the builders of the per-group sensor operators ({@link PerGroupSensorClassifier},
 * {@link PerGroupFastGrnn}) share: which group each sensor is in, and which registry alias of the
 * model each group follows. {@code B} is the operator's own builder, so the calls chain.
 */
abstract class GroupBuilder<B extends GroupBuilder<B>> {
    final KeyAliases.Builder aliases;
    SensorGroups groups = SensorGroups.none();

    /** @param model the default reference, {@code name@alias}: what sensors without a group alias follow */
    GroupBuilder(RegistryConnection registry, String model) {
        this.aliases = new KeyAliases.Builder(registry, model, "group");
    }

    /** Which group each sensor is in (default: none, every sensor on the default alias). */
    public B groups(SensorGroups groups) {
        this.groups = Objects.requireNonNull(groups, "groups");
        return self();
    }

    /** Group {@code group} follows alias {@code alias} of the model. */
    public B group(String group, String alias) {
        aliases.key(group, alias);
        return self();
    }

    /** {@code group=alias} specs, as the jobs' {@code --group-alias} flag takes them. */
    public B groupAliases(List<String> specs) {
        aliases.specs(specs);
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
