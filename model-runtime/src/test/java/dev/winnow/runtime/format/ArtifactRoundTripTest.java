package dev.winnow.runtime.format;

import static org.junit.jupiter.api.Assertions.*;

import java.security.KeyPair;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArtifactRoundTripTest {

    @Test
    void everyCodecReadsBackExactly() throws Exception {
        Artifact a = ArtifactReader.read(SampleArtifacts.unsigned());
        assertEquals(SampleArtifacts.metadata(), a.metadata());
        assertEquals("letter-bonsai", a.metadata().name());
        assertEquals(List.of("A", "B", "C"), a.metadata().labels());
        assertEquals(0.951, a.metadata().metrics().get("accuracy"), 0);
        assertArrayEquals(new int[] {16}, a.metadata().inputSpec().shape());
        assertEquals(9, a.tensors().size());
        assertEquals("dense.w", a.tensors().get(0).name(), "table order is kept");

        assertArrayEquals(new int[] {1, -2, 300000, -400000}, a.tensor("conv.bias").toInt32Array());
        assertArrayEquals(new short[] {0, 1, -1, 32767, -32768}, a.tensor("q15").toInt16Array());
        TensorData conv = a.tensor("conv.filter");
        assertTrue(conv.huffmanCoded());
        assertEquals(QuantizationInfo.Kind.PER_AXIS, conv.quantization().kind());
        byte[] q = conv.toInt8Array();
        float[] f = conv.toFloatArray();
        for (int i = 0; i < q.length; i++) assertEquals(q[i] * 0.01f * (1 + i / 18), f[i], 1e-6f);

        float[] bin = a.tensor("bin.w").toFloatArray();
        assertEquals(0.5f, bin[0]);                  // row 0 word 0 is all ones
        assertEquals(0.5f, bin[69]);                 // row 0 word 1 = 0x3F: elements 64..69 set
        assertEquals(-0.25f, bin[70 + 1]);           // row 1 word 0 = 0x5555: element 1 clear
        assertEquals(0.25f, bin[70 + 2]);
        assertArrayEquals(new float[] {-1, 0, 0.5f, 0.5f, 0, -1, -1, 0, 0.5f, 0.5f}, a.tensor("shared.w").toFloatArray());
        assertArrayEquals(new float[] {0, 1.5f, 0, 0, 0, -2, 0, 0, 0, 0, 0, 3}, a.tensor("Z").toFloatArray());
        assertArrayEquals(new byte[] {-5, 0, 0, 0, 0, 0, 0, 0, 0, 7}, a.tensor("Zq").toInt8Array());
        assertEquals(3.25f, a.tensor("scalar").toFloatArray()[0]);
        assertFalse(a.signature().isPresent());
    }

    @Test
    void writerIsDeterministicAndRewritingGivesTheSameBytes() throws Exception {
        byte[] first = SampleArtifacts.unsigned();
        assertArrayEquals(first, SampleArtifacts.unsigned());
        Artifact a = ArtifactReader.read(first);
        ArtifactWriter again = new ArtifactWriter(a.metadata());
        for (TensorData t : a.tensors()) {
            switch (t.codec()) {
                case RAW:
                    switch (t.dtype()) {
                        case FLOAT32: again.addFloat32(t.name(), t.shape(), t.toFloatArray(), t.huffmanCoded()); break;
                        case INT8: again.addInt8(t.name(), t.shape(), t.toInt8Array(), t.quantization(), t.huffmanCoded()); break;
                        case INT16: again.addInt16(t.name(), t.shape(), t.toInt16Array(), t.quantization(), t.huffmanCoded()); break;
                        default: again.addInt32(t.name(), t.shape(), t.toInt32Array(), t.quantization(), t.huffmanCoded());
                    }
                    break;
                case BITPACKED: again.addBinary(t.name(), t.shape(), t.toBitPackedWords(), t.quantization().scales(), t.huffmanCoded()); break;
                case CODEBOOK: {
                    float[] c = t.codebook();
                    float[] v = t.toFloatArray();
                    int[] idx = new int[v.length];
                    for (int i = 0; i < v.length; i++) for (int k = 0; k < c.length; k++) if (c[k] == v[i]) { idx[i] = k; break; }
                    again.addCodebook(t.name(), t.shape(), c, idx, t.huffmanCoded());
                    break;
                }
                default:
                    if (t.dtype() == DType.FLOAT32) {
                        again.addSparse(t.name(), t.shape(), new int[] {1, 5, 11}, new float[] {1.5f, -2f, 3f}, t.huffmanCoded());
                    } else {
                        again.addSparseInt8(t.name(), t.shape(), new int[] {0, 9}, new byte[] {-5, 7}, t.quantization(), t.huffmanCoded());
                    }
            }
        }
        assertArrayEquals(first, again.toBytes());
    }

    @Test
    void signaturesVerifyAndCanBeReplaced() throws Exception {
        Artifact signed = ArtifactReader.read(SampleArtifacts.signed());
        assertTrue(signed.signature().isPresent());
        assertTrue(signed.signatureIntact());
        assertTrue(signed.verifySignature(SampleArtifacts.KEYS.getPublic()));
        KeyPair other = Ed25519Keys.generate();
        assertFalse(signed.verifySignature(other.getPublic()));
        assertFalse(signed.verifySignedBy(List.of(other.getPublic())));
        assertTrue(signed.verifySignedBy(List.of(other.getPublic(), SampleArtifacts.KEYS.getPublic())));
        assertEquals(ArtifactReader.read(SampleArtifacts.unsigned()).sha256Hex(), signed.sha256Hex(), "signing keeps the body");

        byte[] resigned = ArtifactWriter.sign(signed.bytes(), other.getPrivate(), other.getPublic());
        assertEquals(signed.sizeBytes(), resigned.length, "the trailer is replaced, not appended");
        Artifact r = ArtifactReader.read(resigned);
        assertTrue(r.verifySignature(other.getPublic()));
        assertFalse(r.verifySignature(SampleArtifacts.KEYS.getPublic()));
        assertFalse(ArtifactReader.read(SampleArtifacts.unsigned()).verifySignedBy(List.of(other.getPublic())), "unsigned is never trusted");
    }

    @Test
    void huffmanRoundTripsAndCompressesSkewedData() throws Exception {
        Random r = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            byte[] data = new byte[r.nextInt(5000)];
            if (trial % 2 == 0) r.nextBytes(data);
            else for (int i = 0; i < data.length; i++) data[i] = (byte) Math.round(r.nextGaussian() * 3);
            byte[] enc = Huffman.encode(data);
            assertArrayEquals(data, Huffman.decode(enc, data.length, "t"));
        }
        byte[] skewed = new byte[10000];
        for (int i = 0; i < skewed.length; i++) skewed[i] = (byte) Math.round(r.nextGaussian() * 2);
        assertTrue(Huffman.encode(skewed).length < skewed.length * 0.45, "gaussian int8 weights compress below 45%");
        byte[] one = new byte[100];
        assertArrayEquals(one, Huffman.decode(Huffman.encode(one), 100, "t"), "a single-symbol stream");
        long[] fib = new long[256];
        long a = 1, b = 1;
        for (int i = 0; i < 40; i++) { fib[i] = a; long c = a + b; a = b; b = c; }
        for (int l : Huffman.codeLengths(fib)) assertTrue(l <= Huffman.MAX_CODE_LENGTH, "lengths are limited");
    }

    @Test
    void jsonRoundTripsUnicodeAndEscapes() throws Exception {
        String text = "{\"a\":\"line\\nbreak \\\"q\\\" \\u00e9 ✓\",\"n\":[1,-2.5,1.0E-7,true,false,null],\"o\":{}}";
        Object v = Json.parse(text);
        assertEquals(v, Json.parse(Json.write(v)));
    }
}
