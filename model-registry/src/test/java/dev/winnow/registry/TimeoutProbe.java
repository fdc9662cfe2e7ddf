package dev.winnow.registry;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate JVM for {@link ServerTimeoutTest}: the JDK server's timeouts are fixed per JVM when its
 * first server starts, so they are tried in a fresh one. Starts a server with 1 s timeouts, opens a
 * silent connection, one that stops mid-headers and one that stops mid-body, and prints, for each,
 * whether the server closed it ("closed") or left it open past 30 s ("open").
 */
public final class TimeoutProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("timeout-probe");
        RegistryHttpServer.Config config = RegistryHttpServer.Config.builder("probe-token-0123456789").requestTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(1)).spoolDir(dir.resolve("spool")).build();
        try (RegistryHttpServer server = new RegistryHttpServer(TestArtifacts.acceptingUnsigned(dir.resolve("registry")),
                new InetSocketAddress("127.0.0.1", 0), config).start()) {
            String[] sends = {
                "",
                "GET /health HTTP/1.1\r\nHost: x\r\n",
                "POST /models/m/versions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer probe-token-0123456789\r\nContent-Length: 1000\r\n\r\nWNM",
            };
            String[] names = {"silent", "stalled-headers", "stalled-body"};
            Socket[] sockets = new Socket[sends.length];
            for (int i = 0; i < sends.length; i++) {
                sockets[i] = new Socket("127.0.0.1", server.port());
                sockets[i].setSoTimeout(30_000);
                sockets[i].getOutputStream().write(sends[i].getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < sends.length; i++) {
                String state;
                try (InputStream in = sockets[i].getInputStream()) {
                    // a stalled body may get an answer (a 4xx) before the close; read to the end
                    in.readAllBytes();
                    state = "closed";
                } catch (java.net.SocketTimeoutException e) {
                    state = "open";
                } catch (java.io.IOException reset) {
                    state = "closed";
                }
                System.out.println(names[i] + " " + state);
            }
        }
    }
}
