package dev.winnow.flink.source;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The future a {@code SourceReader#isAvailable} returns, for a reader whose records arrive from
 * threads of its own (the registry feed's poller, a stream source's readers): the task thread asks
 * {@link #future} when it has nothing to emit, and a producer thread calls {@link #signal} after it
 * queued a record or ended. The readiness check and the swap to a fresh future happen under the lock
 * {@link #signal} takes, so a signal that comes between them is not lost. {@link #signal} from any
 * thread; {@link #future} from the task thread.
 */
public final class ReaderAvailability {
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();

    /** A completed future when {@code ready} holds (checked under the lock), else one the next {@link #signal} completes. */
    public CompletableFuture<Void> future(BooleanSupplier ready) {
        synchronized (lock) {
            if (ready.getAsBoolean()) return CompletableFuture.completedFuture(null);
            if (available.isDone()) available = new CompletableFuture<>();
            return available;
        }
    }

    /** Wakes the task thread: there is something to emit, or the input has ended. */
    public void signal() {
        synchronized (lock) {
            available.complete(null);
        }
    }
}
