package dev.winnow.examples.produce;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The broker side every {@code produce} command shares (a picocli mixin): where the broker is, how a
 * missing topic is created and how long to wait, and the producer every command writes with
 * (idempotent, {@code acks=all}: a retried send is not written twice).
 */
public final class BrokerOptions {
    @Option(names = {"--kafka", "--bootstrap"}, required = true, paramLabel = "host:port", description = "Kafka bootstrap servers")
    String bootstrap;
    @Option(names = "--partitions", defaultValue = "2", description = "partitions of the topic when it has to be created (default: ${DEFAULT-VALUE})")
    int partitions;
    @Option(names = "--timeout", defaultValue = "PT30S", description = "how long to wait for the broker (ISO-8601; default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** Refuses option values no command can use, as usage errors of {@code cl}. */
    void validate(CommandLine cl) {
        if (partitions <= 0) throw new CommandLine.ParameterException(cl, "--partitions " + partitions + ": must be positive");
    }

    /** Creates {@code topic} when it is missing; false (with one line on {@code err}) when the broker does not answer. */
    boolean topicReady(String topic, PrintStream err, String command) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!topics.contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TopicExistsException) return true; // created meanwhile
            err.printf("%s: no Kafka broker answered at %s within %s (%s)%n", command, bootstrap, timeout,
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            return false;
        }
    }

    Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a broker that goes away mid-run fails the run after the timeout instead of blocking for the default minute
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 10_000));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        return p;
    }

    /** Waits until tick {@code tick} is due at {@code perSecond} ticks a second from {@code t0} (nanoTime). */
    static void pace(long t0, long tick, double perSecond) throws InterruptedException {
        long wait = t0 + (long) (tick * 1e9 / perSecond) - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
