package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry built as {@code serve} builds it: unsigned publishes refused unless unsigned is allowed. */
class SignedByDefaultTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir Path dir;

    private static HttpResponse<String> post(URI base, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/models/detector/versions"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDefaultServerRefusesUnsignedAndAcceptsSigned() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir), List.of(), true, Clock.systemUTC());
        try (RegistryHttpServer s = new RegistryHttpServer(r, new InetSocketAddress("127.0.0.1", 0), TOKEN, 1 << 20).start()) {
            URI base = URI.create("http://127.0.0.1:" + s.port());
            HttpResponse<String> refused = post(base, TestArtifacts.model("detector", 1));
            assertEquals(422, refused.statusCode(), refused.body());
            assertEquals(1, refused.body().strip().lines().count(), "one-line JSON: " + refused.body());
            assertTrue(refused.body().startsWith("{") && refused.body().contains("--allow-unsigned"), refused.body());
            assertTrue(r.models().isEmpty(), "nothing of the refused publish is stored");

            HttpResponse<String> accepted = post(base, TestArtifacts.signed("detector", 1, keys));
            assertEquals(201, accepted.statusCode(), accepted.body());
            assertEquals(1, r.versions("detector").size());
            // the client sees the refusal as UNTRUSTED with the server's message
            RegistryException e = assertThrows(RegistryException.class,
                    () -> new HttpRegistryClient(base, TOKEN, null).publish("detector", TestArtifacts.model("detector", 2), Map.of()));
            assertEquals(RegistryException.Kind.UNTRUSTED, e.kind());
            assertTrue(e.getMessage().contains("--allow-unsigned"), e.getMessage());
        }
    }

    @Test
    void allowUnsignedAcceptsUnsigned() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir), List.of(), false, Clock.systemUTC());
        try (RegistryHttpServer s = new RegistryHttpServer(r, new InetSocketAddress("127.0.0.1", 0), TOKEN, 1 << 20).start()) {
            HttpResponse<String> accepted = post(URI.create("http://127.0.0.1:" + s.port()), TestArtifacts.model("detector", 1));
            assertEquals(201, accepted.statusCode(), accepted.body());
        }
    }

    @Test
    void aTrustListWithUnsignedAllowedIsRefused() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThrows(IllegalArgumentException.class,
                () -> new ModelRegistry(new LocalDirectoryStore(dir), List.of(keys.getPublic()), false, Clock.systemUTC()));
    }
}
