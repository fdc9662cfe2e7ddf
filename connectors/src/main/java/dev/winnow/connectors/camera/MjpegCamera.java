package dev.winnow.connectors.camera;

import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IP camera serving MJPEG over HTTP ({@code multipart/x-mixed-replace}, one JPEG per part, with or
 * without {@code Content-Length}). Frames are numbered as they arrive and stamped with the arrival
 * time (a live camera cannot rewind: after a restore, numbering continues at the checkpointed seq).
 * A part that is not a well-formed JPEG is counted in {@code malformedFrames} and skipped. When the
 * connection drops the camera reconnects after a back-off, unless {@link #reconnect(boolean)} is off,
 * in which case the stream ends.
 */
public final class MjpegCamera extends CameraSpec<MjpegCamera> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MjpegCamera.class);

    private final String url;
    private boolean reconnect = true;
    private long reconnectDelayMillis = 2000;
    private int connectTimeoutMillis = 10_000;
    private int readTimeoutMillis = 30_000;
    private int maxPartBytes = 16 << 20;

    public MjpegCamera(String cameraId, URI url) {
        super(cameraId);
        this.url = url.toString();
    }

    public MjpegCamera reconnect(boolean reconnect) {
        this.reconnect = reconnect;
        return this;
    }

    public MjpegCamera reconnectDelay(Duration d) {
        this.reconnectDelayMillis = d.toMillis();
        return this;
    }

    public MjpegCamera timeouts(Duration connect, Duration read) {
        this.connectTimeoutMillis = (int) connect.toMillis();
        this.readTimeoutMillis = (int) read.toMillis();
        return this;
    }

    /** Parts larger than this are skipped as malformed (default 16 MB). */
    public MjpegCamera maxPartBytes(int max) {
        this.maxPartBytes = max;
        return this;
    }

    @Override
    public boolean bounded() {
        return maxFrames != Long.MAX_VALUE || !reconnect;
    }

    @Override
    public RecordStream<Frame> open(long position, StreamContext context) {
        return new Stream(position, context);
    }

    private final class Stream implements RecordStream<Frame> {
        private final StreamContext context;
        private long seq;
        private volatile HttpURLConnection connection;
        private volatile InputStream in;
        private byte[] delimiter;  // "--boundary"
        private boolean everConnected;
        private boolean closing;    // the closing delimiter was read: no more parts on this connection
        private boolean atHeaders;  // the delimiter before the next part's headers is already consumed

        Stream(long position, StreamContext context) {
            this.seq = position;
            this.context = context;
        }

        @Override
        public Positioned<Frame> next() throws IOException {
            while (seq < maxFrames && context.running()) {
                if (in == null) {
                    try {
                        connect();
                    } catch (IOException e) {
                        if (!reconnect) throw e;
                        LOG.warn("camera {}: cannot connect to {}: {}; retrying in {} ms", cameraId, url, e.getMessage(), reconnectDelayMillis);
                        if (!context.sleep(reconnectDelayMillis)) return null;
                        continue;
                    }
                }
                byte[] part;
                try {
                    part = readPart();
                } catch (IOException e) {
                    disconnect();
                    if (!context.running()) return null;
                    if (!reconnect) {
                        if (e instanceof EOFException) return null;  // the server ended the stream
                        throw e;
                    }
                    LOG.warn("camera {}: stream from {} broke: {}; reconnecting in {} ms", cameraId, url, e.getMessage(), reconnectDelayMillis);
                    if (!context.sleep(reconnectDelayMillis)) return null;
                    continue;
                }
                long s = seq++;
                if (part == null) continue; // skipped (oversized), already counted
                try {
                    JpegInfo info = JpegInfo.parse(part);
                    long now = System.currentTimeMillis();
                    return new Positioned<>(new Frame(cameraId, s, now, FrameEncoding.JPEG, info.width(), info.height(), part), now, seq);
                } catch (IllegalArgumentException e) {
                    context.malformed().skip(where(s) + " from " + url, part.length + " bytes are not a JPEG: " + e.getMessage());
                }
            }
            return null;
        }

        private void connect() throws IOException {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(readTimeoutMillis);
            c.setUseCaches(false);
            connection = c;
            int status = c.getResponseCode();
            if (status != 200) {
                c.disconnect();
                throw new IOException("HTTP " + status + " from " + url);
            }
            String type = c.getContentType();
            String boundary = boundary(type);
            if (boundary == null) {
                c.disconnect();
                throw new IOException("not an MJPEG stream: Content-Type " + type);
            }
            delimiter = ("--" + (boundary.startsWith("--") ? boundary.substring(2) : boundary)).getBytes(StandardCharsets.ISO_8859_1);
            in = new BufferedInputStream(c.getInputStream(), 64 << 10);
            if (!everConnected) LOG.info("camera {}: connected to {}", cameraId, url);
            everConnected = true;
        }

        /** Reads one part after a delimiter line; null for a part skipped as too large. */
        private byte[] readPart() throws IOException {
            if (closing) throw new EOFException("closing boundary");
            if (!atHeaders) {
                readToDelimiter(); // the preamble, or the line break after the previous part's body
                if (closing) throw new EOFException("closing boundary");
            }
            atHeaders = false;
            int contentLength = -1;
            String contentType = null;
            String line;
            while (!(line = readLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                } else if (name.equals("content-type")) {
                    contentType = value;
                }
            }
            byte[] part;
            if (contentLength >= 0) {
                if (contentLength > maxPartBytes) {
                    context.malformed().skip(where(seq) + " from " + url, "part of " + contentLength + " bytes exceeds " + maxPartBytes);
                    in.skipNBytes(contentLength);
                    return null;
                }
                part = in.readNBytes(contentLength);
                if (part.length < contentLength) throw new EOFException("stream ended inside a part");
            } else {
                part = trimTrailingNewline(readToDelimiter());
                atHeaders = true;
            }
            if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("image/jpeg")) {
                // the JPEG check below reports it, with the declared type for context
                LOG.debug("camera {}: part with Content-Type {}", cameraId, contentType);
            }
            return part;
        }

        /** Consumes bytes up to and including the next delimiter line; returns what preceded the delimiter. */
        private byte[] readToDelimiter() throws IOException {
            byte[] d = delimiter;
            int dl = d.length;
            byte last = d[dl - 1];
            byte[] buf = new byte[8192];
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) throw new EOFException("stream ended");
                if (n == buf.length) {
                    if (n > maxPartBytes + dl) throw new IOException("no boundary within " + maxPartBytes + " bytes");
                    buf = Arrays.copyOf(buf, 2 * n);
                }
                buf[n++] = (byte) b;
                if ((byte) b == last && n >= dl && Arrays.equals(buf, n - dl, n, d, 0, dl)) {
                    n -= dl;
                    break;
                }
            }
            String rest = readLine(); // "" after a delimiter, "--" after the closing one
            if (rest.startsWith("--")) closing = true;
            return Arrays.copyOf(buf, n);
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) throw new EOFException("stream ended");
                if (b == '\n') break;
                if (b != '\r') sb.append((char) b);
                if (sb.length() > 8192) throw new IOException("header line longer than 8 KB");
            }
            return sb.toString();
        }

        private void disconnect() {
            closing = false;
            atHeaders = false;
            InputStream i = in;
            in = null;
            if (i != null) {
                try {
                    i.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            HttpURLConnection c = connection;
            if (c != null) c.disconnect();
        }

        @Override
        public void close() {
            disconnect();
        }
    }

    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) return null;
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    private static byte[] trimTrailingNewline(byte[] b) {
        int n = b.length;
        if (n > 0 && b[n - 1] == '\n') n--;
        if (n > 0 && b[n - 1] == '\r') n--;
        return n == b.length ? b : Arrays.copyOf(b, n);
    }
}
