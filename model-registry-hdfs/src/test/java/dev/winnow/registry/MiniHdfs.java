package dev.winnow.registry;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** One NameNode and one DataNode in the test JVM, with their storage under a test's folder. */
final class MiniHdfs implements AutoCloseable {
    final MiniDFSCluster cluster;
    /** {@code hdfs://127.0.0.1:<port>}, the root every test location starts with. */
    final String base;

    MiniHdfs(Path storage) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, storage.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        base = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    /** True when {@code path} (absolute, on this cluster) exists. */
    boolean exists(String path) throws IOException {
        return cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path(path));
    }

    /** The number of entries in the folder {@code path}. */
    int count(String path) throws IOException {
        return cluster.getFileSystem().listStatus(new org.apache.hadoop.fs.Path(path)).length;
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
