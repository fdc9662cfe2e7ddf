package dev.winnow.runtime.format;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad file gets a ModelFormatException that says what is wrong; never an OOM, a hang or another exception. */
class HostileArtifactTest {

    static ModelFormatException rejects(byte[] bytes) {
        // a hang guard, not a timing assertion
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelFormatException.class, () -> ArtifactReader.read(bytes)));
    }

    static void rejects(byte[] bytes, String fragment) {
        ModelFormatException e = rejects(bytes);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void truncationAtEveryOffsetIsRejected() {
        byte[] full = SampleArtifacts.signed();
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(ModelFormatException.class, () -> ArtifactReader.read(cut), "truncated to " + len);
        }
    }

    @Test
    void everySingleFlippedByteIsCaught() throws Exception {
        byte[] full = SampleArtifacts.signed();
        int keyStart = full.length - 96;
        int signatureStart = full.length - 64;
        for (int i = 0; i < full.length; i++) {
            byte[] bad = full.clone();
            bad[i] ^= 0x20;
            if (i >= keyStart) {
                // the embedded signer key or the signature: the body is intact and reads, but the
                // signature no longer checks out against the embedded key, nor (signature bytes) the real one
                Artifact a = ArtifactReader.read(bad);
                assertFalse(a.signatureIntact(), "flip at " + i);
                if (i >= signatureStart) assertFalse(a.verifySignature(SampleArtifacts.KEYS.getPublic()), "flip at " + i);
                assertFalse(a.verifySignedBy(java.util.List.of()), "flip at " + i);
            } else {
                int at = i;
                assertThrows(ModelFormatException.class, () -> ArtifactReader.read(bad), () -> "flip at " + at);
            }
        }
    }

    @Test
    void wrongDigestIsNamed() {
        byte[] bad = SampleArtifacts.unsigned();
        bad[bad.length - 5] ^= 1; // last byte of the stored digest
        rejects(bad, "digest mismatch");
        byte[] body = SampleArtifacts.unsigned();
        body[body.length - 60] ^= 1; // inside the last payload
        rejects(body, "digest mismatch");
    }

    @Test
    void badMagicVersionAndTrailer() {
        rejects(new byte[0], "truncated");
        rejects("hello world, not a model".getBytes(StandardCharsets.US_ASCII), "bad magic");
        rejects(Crafted.base().major(2).bytes(), "unsupported format version 2");
        byte[] ok = SampleArtifacts.unsigned();
        byte[] extra = Arrays.copyOf(ok, ok.length + 7);
        rejects(extra, "trailer");
        byte[] signed = SampleArtifacts.signed();
        signed[ok.length - 4] = 'X';
        rejects(signed, "bad trailer tag");
        rejects(Arrays.copyOf(ok, ok.length - 4), "trailer");
        byte[] stripped = Arrays.copyOf(signed, ok.length);
        rejects(stripped, "trailer");
    }

    @Test
    void absurdLengthsFailFastWithoutAllocating() {
        rejects(Crafted.base().metadataLength(0xFFFF_FFF0L).bytes(), "metadata length");
        rejects(Crafted.base().tensorCount(0x7FFF_FFFFL).bytes(), "tensor count");
        rejects(Crafted.base().tensorCount(60_000).bytes(), "truncated");
        rejects(Crafted.base().tensor(t -> t.dims = new long[] {1L << 20, 1L << 20}).bytes(), "more than 2^28");
        rejects(Crafted.base().tensor(t -> t.dims = new long[] {0}).bytes(), "dimension 0 out of range");
        rejects(Crafted.base().tensor(t -> t.rank = 40).bytes(), "rank 40");
        rejects(Crafted.base().tensor(t -> t.payloadLength = Long.MAX_VALUE).bytes(), "outside the payload region");
        rejects(Crafted.base().tensor(t -> t.payloadOffset = 1L << 40).bytes(), "outside the payload region");
        rejects(Crafted.base().tensor(t -> t.payloadOffset = 3).bytes(), "not 8-byte aligned");
        rejects(Crafted.base().payloadRegion(-1).bytes(), "truncated");
        rejects(Crafted.base().tensor(t -> t.payloadLength = 8).bytes(), "payload is 8 bytes");
        rejects(Crafted.base().twoTensorsOverlapping().bytes(), "overlaps");
    }

    @Test
    void unknownCodesAreNamed() {
        rejects(Crafted.base().tensor(t -> t.codec = 9).bytes(), "unknown codec 9");
        rejects(Crafted.base().tensor(t -> t.dtype = 77).bytes(), "unknown dtype 77");
        rejects(Crafted.base().tensor(t -> t.entropy = 5).bytes(), "unknown entropy coding 5");
        rejects(Crafted.base().tensor(t -> t.codec = Codec.BITPACKED.id()).bytes(), "cannot hold FLOAT32");
        rejects(Crafted.base().tensor(t -> t.quantKind = 7).bytes(), "unknown quantization kind 7");
        rejects(Crafted.base().tensor(t -> { t.quantKind = 2; t.quantAxis = 3; }).bytes(), "quantization axis 3");
        rejects(Crafted.base().tensor(t -> { t.quantKind = 1; t.scale = Float.NaN; }).bytes(), "scale NaN");
        rejects(Crafted.base().tensor(t -> t.name = "w eight;rm").bytes(), "has characters outside");
        rejects(Crafted.base().tensor(t -> t.nameBytes = new byte[] {(byte) 0xC3, 0x28}).bytes(), "not valid UTF-8");
        rejects(Crafted.base().duplicateTensor().bytes(), "duplicate tensor name");
        rejects(Crafted.base().tensor(t -> t.payload = floats(Float.NaN, 1, 2, 3)).bytes(), "not finite");
    }

    @Test
    void badMetadataIsNamed() {
        rejects(Crafted.base().metadata("{\"name\":\"x\"").bytes(), "metadata JSON");
        rejects(Crafted.base().metadata("{\"name\":\"x\",\"name\":\"y\"}").bytes(), "duplicate key");
        rejects(Crafted.base().metadata("{\"family\":\"bonsai\",\"input\":{}}").bytes(), "'name' must be a non-empty string");
        rejects(Crafted.base().metadata("{\"name\":\"x\",\"family\":\"y\",\"input\":{\"name\":\"i\",\"shape\":[-1]}}").bytes(), "dimension < 1");
        rejects(Crafted.base().metadata("[".repeat(100_000)).bytes(), "nesting deeper");
        rejects(Crafted.base().metadata("{\"a\":1} trailing").bytes(), "trailing");
        rejects(Crafted.base().metadataBytes(new byte[] {'{', (byte) 0xFF, '}'}).bytes(), "not valid UTF-8");
    }

    @Test
    void corruptPayloadsBehindAValidDigest() {
        // a Huffman table that violates Kraft's inequality: every symbol with a 1-bit code
        byte[] huff = new byte[4 + 256 + 2];
        huff[0] = 16;
        for (int i = 0; i < 256; i++) huff[4 + i] = 1;
        rejects(Crafted.base().tensor(t -> { t.entropy = 1; t.payload = huff; t.payloadLength = huff.length; }).bytes(), "Kraft");
        byte[] claims = Arrays.copyOf(huff, huff.length);
        claims[0] = (byte) 0xFF; claims[1] = (byte) 0xFF; claims[2] = (byte) 0xFF; claims[3] = 0x7F;
        rejects(Crafted.base().tensor(t -> { t.entropy = 1; t.payload = claims; t.payloadLength = claims.length; }).bytes(), "claims");
        // sparse indices out of order
        byte[] sparse = Crafted.le(2, 3, 1, Float.floatToIntBits(1f), Float.floatToIntBits(2f));
        rejects(Crafted.base().tensor(t -> { t.codec = Codec.SPARSE.id(); t.payload = sparse; t.payloadLength = sparse.length; }).bytes(), "out of order");
        // codebook index beyond k
        byte[] cb = Crafted.le(3, Float.floatToIntBits(1f), Float.floatToIntBits(2f), Float.floatToIntBits(3f), 0xFF);
        rejects(Crafted.base().tensor(t -> { t.codec = Codec.CODEBOOK.id(); t.payload = cb; t.payloadLength = cb.length; }).bytes(), "");
    }

    static byte[] floats(float... f) {
        int[] bits = new int[f.length];
        for (int i = 0; i < f.length; i++) bits[i] = Float.floatToIntBits(f[i]);
        return Crafted.le(bits);
    }

    static void noop(Executable e) {}
}
