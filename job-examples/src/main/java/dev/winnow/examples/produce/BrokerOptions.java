package dev.winnow.examples.produce;

import dev.winnow.examples.io.KafkaOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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

    /** Creates {@code topic} when it is missing; false (with one line on {@code err}) when the broker does not answer or refuses. */
    boolean topicReady(String topic, PrintWriter err, String command) {
        try {
            KafkaOptions.ensureTopics(bootstrap, timeout, partitions, topic);
            return true;
        } catch (IllegalArgumentException e) {
            err.printf("%s: %s%n", command, e.getMessage());
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
