package dev.winnow.flink.types;

/**
 * A change of the version an alias points at, as read from the registry's change feed. Broadcast to
 * every subtask that serves the model.
 */
public class ModelUpdate {
    /** Registry change-feed sequence number; updates apply in this order. */
    public long sequence;
    public String modelName;
    /** The alias that moved, or null when a job pins an explicit version. */
    public String alias;
    public int version;
    /** Hex SHA-256 of the artifact; the subtask refuses an artifact with another digest. */
    public String sha256;
    public long timestampMillis;

    public ModelUpdate() {}

    public ModelUpdate(long sequence, String modelName, String alias, int version, String sha256, long timestampMillis) {
        this.sequence = sequence;
        this.modelName = modelName;
        this.alias = alias;
        this.version = version;
        this.sha256 = sha256;
        this.timestampMillis = timestampMillis;
    }

    @Override
    public String toString() {
        return "ModelUpdate{#" + sequence + " " + modelName + (alias == null ? "" : "@" + alias) + " -> v" + version + "}";
    }
}
