package dev.winnow.registry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code writers} publishers of one model name on a file-system registry at {@code root}, each with its
 * own store and without the in-JVM lock (as separate processes would be), each publishing {@code each}
 * artifacts; what the object-store and HDFS tests run to show versions without gap or duplicate.
 */
final class ConcurrentPublishers {
    private ConcurrentPublishers() {}

    /** Every version the publishers got, sorted; {@code artifact} makes the artifact of a seed unique per writer and publish. */
    static List<Integer> publish(URI root, int writers, int each, IntFunction<byte[]> artifact) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int writer = t;
                results.add(pool.submit(() -> {
                    ModelRegistry r = new ModelRegistry(new FlinkFileSystemStore(root, false));
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < each; i++) got.add(r.publish("m", artifact.apply(writer * 100 + i), "w" + writer, java.util.Map.of()).version());
                    return got;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : results) all.addAll(f.get(90, TimeUnit.SECONDS));
            all.sort(null);
            return all;
        } finally {
            pool.shutdown();
        }
    }
}
