package dev.winnow.runtime.testing;

import java.util.function.LongSupplier;

/** Stand-ins for a thread's allocation counter, for tests of an {@code AllocationProbe}'s schedule. */
public final class ProbeMeters {
    private ProbeMeters() {}

    /**
     * A meter read twice per measured call (before and after): the k-th measured call allocates
     * {@code bytes[k]}, and nothing past the end, so every second reading moves it.
     */
    public static LongSupplier allocating(long... bytes) {
        return new LongSupplier() {
            long total;
            int readings;

            @Override
            public long getAsLong() {
                int k = readings++;
                if (k % 2 == 1 && k / 2 < bytes.length) total += bytes[k / 2];
                return total;
            }
        };
    }
}
