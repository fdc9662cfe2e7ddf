package dev.winnow.flink.sql;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The {@code WITH} options of {@code CREATE MODEL … WITH ('provider' = 'winnow', …)}. */
public final class WinnowModelOptions {
    private WinnowModelOptions() {}

    public static final ConfigOption<String> MODEL = ConfigOptions.key("model").stringType().noDefaultValue()
            .withDescription("Registry reference: name@alias or name:version.");

    public static final ConfigOption<String> REGISTRY = ConfigOptions.key("registry").stringType().noDefaultValue()
            .withDescription("Registry location: a directory every task manager can read, or an http(s):// registry server URL.");

    public static final ConfigOption<String> ARTIFACT = ConfigOptions.key("artifact").stringType().noDefaultValue()
            .withDescription("Path of a .wnm artifact, instead of a registry; 'model' then only names it.");

    public static final ConfigOption<String> TRUSTED_KEYS = ConfigOptions.key("trusted-keys").stringType().noDefaultValue()
            .withDescription("Comma-separated Ed25519 public key PEM files; unsigned or wrongly signed artifacts are refused. "
                    + "Required with 'registry' unless 'allow-unsigned' = 'true'.");

    public static final ConfigOption<Boolean> ALLOW_UNSIGNED = ConfigOptions.key("allow-unsigned").booleanType().defaultValue(false)
            .withDescription("With 'registry' and no 'trusted-keys', load unsigned (and any-key) versions too; off by default.");
}
