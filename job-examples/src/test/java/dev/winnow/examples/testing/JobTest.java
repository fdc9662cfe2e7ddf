package dev.winnow.examples.testing;

import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A test of a job run to its end: the class's MiniCluster of 2 slots ({@link TestJobs#cluster}), and each test's own output folder. */
public abstract class JobTest {
    @RegisterExtension protected static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);

    /** The job's {@code --out}. */
    @TempDir protected Path out;
}
