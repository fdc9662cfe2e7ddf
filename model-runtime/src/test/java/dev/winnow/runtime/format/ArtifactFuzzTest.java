package dev.winnow.runtime.format;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded mutation fuzzer. Half of the mutants get their digest recomputed, so the parser and
 * payload validation behind the digest check see the damage too. The only acceptable outcomes are
 * a successful read (whose tensors then decode) or a ModelFormatException.
 */
class ArtifactFuzzTest {
    private static final int INPUTS = 20_000;

    @Test
    void mutantsEitherReadOrFailCleanly() {
        byte[][] seeds = {SampleArtifacts.unsigned(), SampleArtifacts.signed(), Crafted.base().bytes()};
        Random rnd = new Random(20261122L);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < INPUTS; i++) {
                byte[] seed = seeds[rnd.nextInt(seeds.length)];
                byte[] m = mutate(seed, rnd);
                if (rnd.nextBoolean()) m = redigest(m);
                try {
                    Artifact a = ArtifactReader.read(m);
                    for (TensorData t : a.tensors()) t.toFloatArray();
                } catch (ModelFormatException expected) {
                    // clean rejection
                } catch (RuntimeException | Error e) {
                    fail("input " + i + " escaped as " + e, e);
                }
            }
        });
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] m = seed.clone();
        int ops = 1 + rnd.nextInt(4);
        for (int k = 0; k < ops && m.length > 0; k++) {
            int at = rnd.nextInt(m.length);
            switch (rnd.nextInt(6)) {
                case 0: m[at] ^= (byte) (1 << rnd.nextInt(8)); break;
                case 1: m[at] = (byte) rnd.nextInt(256); break;
                case 2: { // delete a run
                    int len = Math.min(m.length - at, 1 + rnd.nextInt(16));
                    byte[] n = new byte[m.length - len];
                    System.arraycopy(m, 0, n, 0, at);
                    System.arraycopy(m, at + len, n, at, m.length - at - len);
                    m = n;
                    break;
                }
                case 3: { // insert random bytes
                    int len = 1 + rnd.nextInt(16);
                    byte[] n = new byte[m.length + len];
                    System.arraycopy(m, 0, n, 0, at);
                    for (int j = 0; j < len; j++) n[at + j] = (byte) rnd.nextInt(256);
                    System.arraycopy(m, at, n, at + len, m.length - at);
                    m = n;
                    break;
                }
                case 4: { // an interesting 32-bit value where a length might be
                    int[] vals = {0, 1, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 1 << 28, 255};
                    int v = vals[rnd.nextInt(vals.length)];
                    for (int j = 0; j < 4 && at + j < m.length; j++) m[at + j] = (byte) (v >>> (8 * j));
                    break;
                }
                default: { // splice a chunk of the file onto another place
                    int from = rnd.nextInt(m.length);
                    int len = Math.min(Math.min(m.length - from, m.length - at), 1 + rnd.nextInt(32));
                    System.arraycopy(m.clone(), from, m, at, len);
                }
            }
        }
        return m;
    }

    /** Recomputes the digest over whatever precedes the (assumed) digest and trailer. */
    private static byte[] redigest(byte[] m) {
        int trailer = m.length >= 100 && m[m.length - 100] == 'S' ? 100 : 4;
        int digestAt = m.length - trailer - 32;
        if (digestAt < 0) return m;
        byte[] d = ArtifactReader.sha256(m, 0, digestAt);
        byte[] out = Arrays.copyOf(m, m.length);
        System.arraycopy(d, 0, out, digestAt, 32);
        return out;
    }
}
