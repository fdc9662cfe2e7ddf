package dev.winnow.examples.produce;

import dev.winnow.registry.cli.Exits;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What the broker made of one {@code produce} run's sends: the records and bytes it acknowledged, and
 * the first send it refused, after which the commands stop sending. Counted in the producer's
 * callbacks (its I/O thread) and read on the command's thread.
 */
final class Deliveries {
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** What a run sends, on the producer {@link #produce} opened. */
    interface Sends {
        void to(KafkaProducer<byte[], byte[]> producer) throws Exception;
    }

    /**
     * Opens a producer on {@code broker}, runs {@code sends} on it and flushes it; a producer that times
     * out waiting for the broker is this run's failure, as a refused send is.
     */
    void produce(BrokerOptions broker, Sends sends) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerProperties())) {
            sends.to(producer);
            producer.flush();
        } catch (TimeoutException e) {
            fail(e);
        }
    }

    /** Sends {@code value} keyed by {@code key} (UTF-8) with its event time, to the partition the key hashes to. */
    void send(KafkaProducer<byte[], byte[]> producer, String topic, long timestampMillis, String key, byte[] value) {
        send(producer, topic, null, timestampMillis, key, value);
    }

    /** As {@link #send(KafkaProducer, String, long, String, byte[])}, to {@code partition} when it is not null. */
    void send(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, long timestampMillis, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, partition, timestampMillis, key.getBytes(StandardCharsets.UTF_8), value), (meta, ex) -> {
            if (ex != null) failure.compareAndSet(null, ex);
            else {
                acked.incrementAndGet();
                bytes.addAndGet(value.length);
            }
        });
    }

    /** A failure outside the callbacks (the producer timed out waiting for the broker). */
    void fail(Exception e) {
        failure.compareAndSet(null, e);
    }

    boolean failed() {
        return failure.get() != null;
    }

    long acked() {
        return acked.get();
    }

    long bytes() {
        return bytes.get();
    }

    /**
     * {@link Exits#OK}, or {@link Exits#INPUT} after one line on {@code err}: which broker did not take
     * {@code what} ("a frame") and why.
     */
    int exit(PrintWriter err, String command, String bootstrap, String what) {
        Exception e = failure.get();
        if (e == null) return Exits.OK;
        err.printf("%s: the broker at %s did not take %s: %s%n", command, bootstrap, what,
                e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        return Exits.INPUT;
    }
}
