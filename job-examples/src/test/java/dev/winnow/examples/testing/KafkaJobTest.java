package dev.winnow.examples.testing;

import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.KafkaBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@link JobTest} with Kafka: a broker of the class's own, started before its tests and closed after them, also when one fails. */
public abstract class KafkaJobTest extends JobTest {
    @RegisterExtension protected static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);
}
