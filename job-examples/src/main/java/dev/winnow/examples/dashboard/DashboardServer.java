package dev.winnow.examples.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (the JDK's {@code com.sun.net.httpserver}, one daemon thread): {@code /}
 * is the page, {@code /api/zones} the board as JSON. Anything else is a 4xx with a one-line JSON body:
 * an unknown path 404, a method other than GET/HEAD 405, a request URI over {@link #MAX_URI} characters
 * 414. A failure while answering is a 500 with a one-line body; the stack trace goes to the log only.
 * Threads: requests are answered on one {@code dashboard-http-<port>} daemon thread; the board they
 * read is written by the sink's task thread ({@link ZoneBoard} synchronizes).
 */
final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    static final int MAX_URI = 2048;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ZoneBoard board;
    private final byte[] page;

    private DashboardServer(HttpServer server, ExecutorService executor, ZoneBoard board) {
        this.server = server;
        this.executor = executor;
        this.board = board;
        this.page = DashboardPage.html().getBytes(StandardCharsets.UTF_8);
    }

    /** Binds {@code host:port} (0 = any free port) and starts answering; a port in use is one line. */
    static DashboardServer start(String host, int port, ZoneBoard board) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (BindException e) {
            throw new IOException(inUse(host, port));
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dashboard-http-" + port);
            t.setDaemon(true);
            return t;
        });
        DashboardServer s = new DashboardServer(server, executor, board);
        // one small handler per resource behind one guard; "/" also receives every path no other context claims
        server.createContext("/api/zones", s.guarded("/api/zones", x -> send(x, 200, "application/json", board.json(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8))));
        server.createContext("/", s.guarded("/", x -> send(x, 200, "text/html; charset=utf-8", s.page)));
        server.setExecutor(executor);
        server.start();
        LOG.info("dashboard on http://{}:{}/", host, s.port());
        return s;
    }

    static String inUse(String host, int port) {
        return "--dashboard-port " + port + ": " + host + ":" + port + " is in use (or not an address of this machine)";
    }

    ZoneBoard board() {
        return board;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** What a resource answers once the guard let the request through. */
    private interface Resource {
        void answer(HttpExchange x) throws IOException;
    }

    /**
     * The checks every request passes before {@code resource} answers it: URI length, method, and the
     * exact path (a context also receives the paths below it), each failure a 4xx with one line of JSON.
     */
    private HttpHandler guarded(String path, Resource resource) {
        return x -> {
            try (x) {
                drain(x.getRequestBody());
                String raw = x.getRequestURI().getRawPath(), query = x.getRequestURI().getRawQuery();
                int length = (raw == null ? 0 : raw.length()) + (query == null ? 0 : query.length() + 1);
                String method = x.getRequestMethod();
                if (length > MAX_URI) {
                    send(x, 414, "application/json", error("request URI longer than " + MAX_URI + " characters"));
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    x.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(x, 405, "application/json", error("method not allowed; the dashboard answers GET"));
                } else if (raw.equals(path) || (path.equals("/") && raw.equals("/index.html"))) {
                    resource.answer(x);
                } else {
                    send(x, 404, "application/json", error("not found; the dashboard serves / and /api/zones"));
                }
            } catch (IOException e) {
                // the browser went away mid-answer: nothing to tell it
                LOG.debug("dashboard request not answered", e);
            } catch (RuntimeException e) {
                LOG.warn("dashboard request failed", e);
                try {
                    send(x, 500, "application/json", error("internal error"));
                } catch (IOException | RuntimeException ignored) {
                    // headers may already be sent; the log has the cause
                }
            }
        };
    }

    private static void drain(InputStream in) throws IOException {
        // a client sending a body to a GET-only server gets its answer without it being kept
        byte[] skip = new byte[4096];
        long total = 0;
        for (int n; (n = in.read(skip)) > 0 && total < 1 << 20; ) total += n;
    }

    private static byte[] error(String message) {
        return ("{\"error\":" + ZoneBoard.str(message) + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Whether {@code host:port} can be bound now: the job checks before it starts, so a taken port fails it at once. */
    static void requireFree(String host, int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalArgumentException(inUse(host, port));
        }
    }
}
