package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent publishers never get the same version number: threads, and two separate processes. */
class ConcurrentPublishTest {
    @TempDir Path dir;

    @Test
    void threadsOnSeparateRegistryInstancesGetDistinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir)); // each thread its own instance
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < 10; i++) got.add(r.publish("shared", TestArtifacts.model("shared", thread * 100 + i), "t" + thread, Map.of()).version());
                return got;
            }));
        }
        Set<Integer> all = new HashSet<>();
        for (Future<List<Integer>> f : results) all.addAll(f.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertEquals(80, all.size());
        for (int v = 1; v <= 80; v++) assertTrue(all.contains(v));
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        assertEquals(80, r.versions("shared").size());
        assertEquals(80, r.lastSequence());
    }

    @Test
    void twoProcessesGetDistinctVersions() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Process> procs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            procs.add(new ProcessBuilder(java, "-cp", cp, PublishProcess.class.getName(), dir.toString(), "15", String.valueOf(1000 * (p + 1)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : procs) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "publisher process did not finish");
            assertEquals(0, p.exitValue());
        }
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        List<ModelVersion> vs = r.versions("shared");
        assertEquals(30, vs.size());
        Set<String> uploaders = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            assertEquals(i + 1, vs.get(i).version());
            uploaders.add(vs.get(i).uploader());
            assertNotNull(r.artifact(vs.get(i)));
        }
        assertEquals(Set.of("process-1000", "process-2000"), uploaders);
    }
}
