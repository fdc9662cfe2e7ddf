package dev.winnow.tools.imports;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NpyReaderTest {

    @Test
    void readsFloatsAndIntegersInCAndFortranOrder() throws Exception {
        NpyArray a = NpyReader.read(NpyWriter.bytes("<f4", false, new int[] {2, 3}, NpyWriter.f32(new float[] {1, 2, 3, 4, 5, 6})));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, a.transposed());
        // the same matrix stored column-major
        NpyArray f = NpyReader.read(NpyWriter.bytes("<f4", true, new int[] {2, 3}, NpyWriter.f32(new float[] {1, 4, 2, 5, 3, 6})));
        assertArrayEquals(a.data(), f.data());
        ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(0.5).putDouble(-2.25).putDouble(1e-300);
        assertArrayEquals(new double[] {0.5, -2.25, 1e-300}, NpyReader.read(NpyWriter.bytes("<f8", false, new int[] {3}, d.array())).data());
        assertArrayEquals(new double[] {-1, 127, -128}, NpyReader.read(NpyWriter.bytes("|i1", false, new int[] {3}, new byte[] {-1, 127, -128})).data());
        assertArrayEquals(new double[] {255}, NpyReader.read(NpyWriter.bytes("|u1", false, new int[] {1}, new byte[] {-1})).data());
        ByteBuffer l = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-7).putLong(1L << 40);
        assertArrayEquals(new double[] {-7, 1L << 40}, NpyReader.read(NpyWriter.bytes("<i8", false, new int[] {2}, l.array())).data());
        assertEquals(3.5, NpyReader.read(NpyWriter.bytes("<f4", false, new int[0], NpyWriter.f32(new float[] {3.5f}))).scalar());
        // a 3-D Fortran array
        float[] fortran = new float[24];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        NpyArray t = NpyReader.read(NpyWriter.bytes("<f4", true, new int[] {2, 3, 4}, NpyWriter.f32(fortran)));
        assertEquals(123, t.data()[(1 * 3 + 2) * 4 + 3]);
    }

    @Test
    void malformedFilesGetClearErrors() {
        assertMessage(new byte[] {1, 2, 3}, "too short");
        assertMessage("not numpy at all, really".getBytes(), "bad magic");
        assertMessage(NpyWriter.bytes("|O", false, new int[] {1}, new byte[8]), "object array");
        assertMessage(NpyWriter.bytes(">f4", false, new int[] {1}, new byte[4]), "big-endian");
        assertMessage(NpyWriter.bytes("<c8", false, new int[] {1}, new byte[8]), "unsupported dtype");
        assertMessage(NpyWriter.bytes("<f4", false, new int[] {3}, new byte[8]), "needs 12");
        assertMessage(NpyWriter.bytes("<f4", false, new int[] {1 << 20, 1 << 20}, new byte[4]), "too large");
        byte[] ok = NpyWriter.bytes("<f4", false, new int[] {1}, new byte[4]);
        ok[8] = (byte) 0xFF;
        ok[9] = (byte) 0x7F;
        assertMessage(ok, "header runs past");
        byte[] v9 = NpyWriter.bytes("<f4", false, new int[] {1}, new byte[4]);
        v9[6] = 9;
        assertMessage(v9, "unsupported .npy version 9");
    }

    private static void assertMessage(byte[] b, String fragment) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(b));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
