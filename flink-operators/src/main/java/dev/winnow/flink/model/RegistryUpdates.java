package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.RegistryClient;
import dev.winnow.registry.RegistryEvent;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The registry's change feed as a Flink source of {@link ModelUpdate}s, for broadcasting to the
 * scoring functions. Element i is registry event i + 1, so the source's checkpointed position is the
 * feed position and a restore resumes exactly where it was. Events other than alias moves become
 * updates with version 0, which scorers ignore. Run it with parallelism 1.
 */
public final class RegistryUpdates {
    private RegistryUpdates() {}

    /** Follows the feed until {@code maxEvents} events were read (Long.MAX_VALUE: for ever). */
    public static DataGeneratorSource<ModelUpdate> source(RegistryConnection registry, long maxEvents) {
        return new DataGeneratorSource<>(new FeedReader(registry), maxEvents, TypeInformation.of(ModelUpdate.class));
    }

    static final class FeedReader implements GeneratorFunction<Long, ModelUpdate> {
        private static final long serialVersionUID = 1L;
        private final RegistryConnection registry;
        private transient RegistryClient client;

        FeedReader(RegistryConnection registry) {
            this.registry = registry;
        }

        @Override
        public void open(SourceReaderContext ctx) throws Exception {
            client = registry.open();
        }

        @Override
        public ModelUpdate map(Long index) throws Exception {
            while (true) {
                List<RegistryEvent> events = client.events(index, 30); // long poll
                if (!events.isEmpty()) return toUpdate(events.get(0));
                if (Thread.currentThread().isInterrupted()) throw new InterruptedException("feed reader stopped");
            }
        }

        static ModelUpdate toUpdate(RegistryEvent e) {
            boolean move = e.type() == RegistryEvent.Type.ALIAS_SET;
            return new ModelUpdate(e.sequence(), e.model(), e.alias(), move ? e.version() : 0, move ? e.sha256() : null, e.timeMillis());
        }

        @Override
        public void close() {
            if (client != null) client.close();
        }
    }
}
