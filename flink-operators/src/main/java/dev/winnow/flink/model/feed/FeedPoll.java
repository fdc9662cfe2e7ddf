package dev.winnow.flink.model.feed;

import dev.winnow.flink.model.RegistryConnection;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a {@link RegistryFeedReader} follows and how: the registry, the model whose alias moves it
 * emits (null: every model's), the event after which it ends ({@code Long.MAX_VALUE}: never) and how
 * long one long poll waits. Set by {@link RegistryFeedSource.Builder}; the source hands it to each reader.
 */
record FeedPoll(RegistryConnection connection, String modelName, long stopAtSequence, Duration pollWait) implements Serializable {
    /** Whether a move of an alias of {@code model} is one to emit. */
    boolean follows(String model) {
        return modelName == null || modelName.equals(model);
    }
}
