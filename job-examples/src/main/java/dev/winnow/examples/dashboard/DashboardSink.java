package dev.winnow.examples.dashboard;

import dev.winnow.flink.zone.ZoneConfig;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The live dashboard as a sink of the job's own output: each zone's finished schedule windows and its
 * cameras' flow windows. The writer (one subtask: the job sets this sink's parallelism to 1, since
 * one port serves every zone) starts the HTTP server when the task opens and stops it when the task
 * ends, so the page lives exactly as long as the job; on a cluster it is served by the TaskManager
 * that runs this subtask, on a MiniCluster by the job's own JVM. The board is the writer's, not static.
 * Nothing is checkpointed: after a restore the board refills from the windows that follow.
 */
public final class DashboardSink implements Sink<BoardUpdate> {
    private static final long serialVersionUID = 1L;

    private final ZoneConfig config;
    private final String host;
    private final int port;
    private final long queueAlertMillis;

    public DashboardSink(ZoneConfig config, String host, int port, long queueAlertMillis) {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("--dashboard-port must be 1..65535, is " + port);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--dashboard-host is empty");
        this.config = config;
        this.host = host;
        this.port = port;
        this.queueAlertMillis = queueAlertMillis;
    }

    /** Fails with one line when the port cannot be bound, before the job is submitted. */
    public static void requireFree(String host, int port) {
        DashboardServer.requireFree(host, port);
    }

    @Override
    public SinkWriter<BoardUpdate> createWriter(WriterInitContext context) throws IOException {
        return new Writer(DashboardServer.start(host, port, new ZoneBoard(config, queueAlertMillis)));
    }

    private static final class Writer implements SinkWriter<BoardUpdate> {
        private final DashboardServer server;
        private final ZoneBoard board;

        Writer(DashboardServer server) {
            this.server = server;
            this.board = server.board();
        }

        @Override
        public void write(BoardUpdate element, Context context) {
            board.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {
            server.close();
        }
    }
}
