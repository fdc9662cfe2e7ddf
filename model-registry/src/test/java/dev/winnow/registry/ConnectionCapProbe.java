package dev.winnow.registry;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate JVM for {@link ConnectionCapTest}: the JDK server's connection cap is fixed per JVM when
 * its first server starts. Starts a server capped at 8 connections, fills the cap with silent
 * connections, and prints what happens to one more ("refused": the server closed it; "queued": no
 * answer within 10 s), whether a request on a connection inside the cap is still answered, and
 * whether a new connection is served once one of the 8 has gone.
 */
public final class ConnectionCapProbe {
    private static final int CAP = 8;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cap-probe");
        RegistryHttpServer.Config config = RegistryHttpServer.Config.builder("probe-token-0123456789").maxConnections(CAP)
                .spoolDir(dir.resolve("spool")).build();
        try (RegistryHttpServer server = new RegistryHttpServer(TestArtifacts.acceptingUnsigned(dir.resolve("registry")),
                new InetSocketAddress("127.0.0.1", 0), config).start()) {
            Socket[] held = new Socket[CAP];
            for (int i = 0; i < CAP; i++) held[i] = new Socket("127.0.0.1", server.port());
            // the last one is answered (and kept open), so the server has accepted all that came before it
            held[CAP - 1].setSoTimeout(10_000);
            System.out.println("inside the cap " + keepAliveHealth(held[CAP - 1]));
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                extra.setSoTimeout(10_000);
                System.out.println("beyond the cap " + (answer(extra).isEmpty() ? "refused" : "served"));
            } catch (java.net.SocketTimeoutException e) {
                System.out.println("beyond the cap queued");
            }
            held[CAP - 1].close();
            String after = "";
            // the server counts the closed connection out when its selector sees the close: try a few times
            for (int attempt = 0; attempt < 50 && after.isEmpty(); attempt++) {
                Thread.sleep(20);
                try (Socket again = new Socket("127.0.0.1", server.port())) {
                    again.setSoTimeout(10_000);
                    after = health(again);
                } catch (java.io.IOException closed) {
                    after = "";
                }
            }
            System.out.println("after one left " + (after.isEmpty() ? "refused" : after));
            for (Socket s : held) s.close();
        }
    }

    /** GET /health on a connection that stays open: reads the head and the Content-Length body only. */
    private static String keepAliveHealth(Socket s) throws java.io.IOException {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return "closed";
            head.append((char) b);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
        return head.toString().startsWith("HTTP/1.1 200") ? "served" : "answered " + head.toString().lines().findFirst().orElse("");
    }

    private static String health(Socket s) throws java.io.IOException {
        String a = answer(s);
        return a.startsWith("HTTP/1.1 200") ? "served" : a.isEmpty() ? "" : "answered " + a.lines().findFirst().orElse("");
    }

    /** Sends GET /health and returns the status line and headers, or "" when the server closed the connection. */
    private static String answer(Socket s) throws java.io.IOException {
        try {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.net.SocketException reset) {
            return "";
        }
    }
}
