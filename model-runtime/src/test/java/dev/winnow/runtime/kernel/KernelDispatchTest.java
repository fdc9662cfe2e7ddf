package dev.winnow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.quant.QuantParams;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Load-time dispatch: a variant that disagrees with the reference is dropped; timed and shape choices run what the reference computes. */
class KernelDispatchTest {
    private static final QuantParams Q = new QuantParams(0.02f, 0);
    private static final ConvGeometry G = ConvGeometry.of("same", 20, 24, 16, 32, 3, 3, 1, 1);

    @AfterEach
    void clearMode() {
        System.clearProperty("winnow.kernels");
    }

    /** The warnings the dispatch logs (System.Logger goes to java.util.logging when nothing else is bound). */
    private static List<String> capture(Runnable r) {
        Logger log = Logger.getLogger(KernelDispatch.class.getName());
        List<String> lines = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord rec) {
                lines.add(java.text.MessageFormat.format(rec.getMessage(), rec.getParameters()));
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        log.addHandler(h);
        try {
            r.run();
        } finally {
            log.removeHandler(h);
        }
        return lines;
    }

    @Test
    void aVariantThatDisagreesOnTheSelfCheckIsDroppedAndTheReferenceServes() {
        byte[] filter = Int8FastPathTest.bytes(32 * 9 * 16);
        float[] scales = Int8FastPathTest.scales(32);
        int[] bias = Int8FastPathTest.bias(32);
        Conv2dInt8 reference = Conv2dInt8.reference(G, filter, scales, bias, Q, Q, Activation.NONE);
        // a fast kernel with one filter byte wrong stands for a miscompiled or buggy variant
        byte[] broken = filter.clone();
        broken[100] ^= 0x40;
        Conv2dInt8 faulty = Conv2dInt8.prepare(G, broken, scales, bias, Q, Q, Activation.NONE, false);
        assertNotSame(Conv2dInt8Reference.class, faulty.getClass());
        byte[] input = KernelDispatch.pseudoRandomBytes(20 * 24 * 16, 5);
        List<KernelDispatch.Chosen<Conv2dInt8>> chosen = new ArrayList<>();
        List<String> warnings = capture(() -> chosen.add(KernelDispatch.choose("block1/conv", KernelDispatch.Mode.SHAPE, List.of(faulty), reference, input,
                () -> new byte[20 * 24 * 32], 20, 24 * 32, KernelDispatch::bitsDiffer)));
        assertSame(reference, chosen.get(0).variant());
        assertEquals("int8-reference", chosen.get(0).choice().variant());
        assertTrue(chosen.get(0).choice().how().contains(faulty.name() + " failed its self-check"), chosen.get(0).choice().how());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("block1/conv: kernel " + faulty.name() + " disagrees with the reference on its self-check ("), warnings.get(0));
        assertFalse(warnings.get(0).contains("\n"));

        // in timed mode the faulty variant is dropped and the fastest of the rest (here the reference) runs
        List<String> timedWarnings = capture(() -> chosen.add(KernelDispatch.choose("block1/conv", KernelDispatch.Mode.TIMED, List.of(faulty, reference), reference,
                input, () -> new byte[20 * 24 * 32], 20, 24 * 32, KernelDispatch::bitsDiffer)));
        assertSame(reference, chosen.get(1).variant());
        assertEquals(1, timedWarnings.size());
    }

    @Test
    void aFloatVariantBeyondTheRoundingOfReorderedSumsIsDropped() {
        ConvGeometry g = ConvGeometry.of("same", 12, 12, 8, 8, 3, 3, 1, 1);
        float[] filter = KernelDispatch.pseudoRandomFloats(8 * 9 * 8, 3);
        Conv2d.Float32 reference = new Conv2d.Float32(g, filter, null, Activation.NONE, false);
        float[] off = filter.clone();
        off[7] += 1e-3f;
        Conv2d.Float32 faulty = new Conv2d.Float32(g, off, null, Activation.NONE, true);
        float[] input = KernelDispatch.pseudoRandomFloats(12 * 12 * 8, 4);
        List<String> warnings = new ArrayList<>();
        List<KernelDispatch.Chosen<Conv2d.Float32>> chosen = new ArrayList<>();
        warnings.addAll(capture(() -> chosen.add(KernelDispatch.choose("c", KernelDispatch.Mode.SHAPE, List.of(faulty), reference, input, () -> new float[12 * 12 * 8],
                12, 12 * 8, KernelDispatch.floatsWithin(72)))));
        assertSame(reference, chosen.get(0).variant());
        assertEquals(1, warnings.size());
        // the same weights on the other path agree within the bound
        Conv2d.Float32 same = new Conv2d.Float32(g, filter, null, Activation.NONE, true);
        var ok = KernelDispatch.choose("c", KernelDispatch.Mode.SHAPE, List.of(same), reference, input, () -> new float[12 * 12 * 8], 12, 12 * 8,
                KernelDispatch.floatsWithin(72));
        assertSame(same, ok.variant());
    }

    @Test
    void timedDispatchKeepsAVariantThatGivesTheReferenceBytesOnTheWholeOutput() {
        byte[] filter = Int8FastPathTest.bytes(32 * 9 * 16);
        float[] scales = Int8FastPathTest.scales(32);
        int[] bias = Int8FastPathTest.bias(32);
        var timed = Conv2dInt8.dispatch("c", KernelDispatch.Mode.TIMED, G, filter, scales, bias, Q, Q, Activation.RELU6);
        assertTrue(timed.choice().how().startsWith("timed "), timed.choice().toString());
        var byShape = Conv2dInt8.dispatch("c", KernelDispatch.Mode.SHAPE, G, filter, scales, bias, Q, Q, Activation.RELU6);
        assertEquals("by shape, self-checked", byShape.choice().how());
        assertEquals(Conv2dInt8.prepare(G, filter, scales, bias, Q, Q, Activation.RELU6).name(), byShape.choice().variant());
        var ref = Conv2dInt8.dispatch("c", KernelDispatch.Mode.REFERENCE, G, filter, scales, bias, Q, Q, Activation.RELU6);
        assertEquals("int8-reference", ref.choice().variant());
        byte[] input = Int8FastPathTest.bytes(20 * 24 * 16);
        byte[] expected = new byte[20 * 24 * 32], a = new byte[expected.length], b = new byte[expected.length];
        ref.variant().run(input, 0, expected, 0);
        timed.variant().run(input, 0, a, 0);
        byShape.variant().run(input, 0, b, 0);
        assertArrayEquals(expected, a);
        assertArrayEquals(expected, b);
    }

    @Test
    void theModeComesFromTheSystemPropertyAndABadValueIsOneLine() {
        assertEquals(KernelDispatch.Mode.SHAPE, KernelDispatch.mode());
        System.setProperty("winnow.kernels", "Timed");
        assertEquals(KernelDispatch.Mode.TIMED, KernelDispatch.mode());
        System.setProperty("winnow.kernels", "fastest");
        var e = assertThrows(IllegalArgumentException.class, KernelDispatch::mode);
        assertEquals("winnow.kernels must be shape, timed or reference, not 'fastest'", e.getMessage());
    }

    @Test
    void theSelfCheckComparesTheEdgesAndTheMiddle() {
        assertArrayEquals(new int[][] {{0, 5}}, KernelDispatch.checkBands(5));
        assertArrayEquals(new int[][] {{0, 2}, {59, 61}, {118, 120}}, KernelDispatch.checkBands(120));
    }
}
