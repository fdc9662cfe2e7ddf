package dev.winnow.connectors.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test class starts once before its tests and closes after them (a Kafka or MQTT broker):
 * {@code @RegisterExtension static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);}
 * then {@code BROKER.get()} in the tests. It is closed even when a test fails.
 */
public final class ClassResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    /** Starts the resource; may throw whatever the server's start-up throws. */
    public interface Starter<T> {
        T start() throws Exception;
    }

    private final Starter<T> starter;
    private T resource;

    private ClassResource(Starter<T> starter) {
        this.starter = starter;
    }

    public static <T extends AutoCloseable> ClassResource<T> of(Starter<T> starter) {
        return new ClassResource<>(starter);
    }

    public T get() {
        if (resource == null) throw new IllegalStateException("not started: register it with @RegisterExtension on a static field");
        return resource;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        resource = starter.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T r = resource;
        resource = null;
        if (r != null) r.close();
    }
}
