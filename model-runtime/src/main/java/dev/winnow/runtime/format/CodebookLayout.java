package dev.winnow.runtime.format;

/** Bit-level layout of codebook indices: ceil(log2 k) bits per index, packed LSB first. */
final class CodebookLayout {
    private CodebookLayout() {}

    static int bitsFor(int k) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
    }

    static long indexBytes(long n, int bits) {
        return (n * bits + 7) / 8;
    }

    static int index(byte[] buf, int base, int bits, int i) {
        long bitPos = (long) i * bits;
        int v = 0;
        for (int b = 0; b < bits; b++, bitPos++) {
            int bit = (buf[base + (int) (bitPos >>> 3)] >>> (int) (bitPos & 7)) & 1;
            v |= bit << b;
        }
        return v;
    }

    static void put(byte[] buf, int base, int bits, int i, int value) {
        long bitPos = (long) i * bits;
        for (int b = 0; b < bits; b++, bitPos++) {
            if (((value >>> b) & 1) != 0) buf[base + (int) (bitPos >>> 3)] |= (byte) (1 << (int) (bitPos & 7));
        }
    }
}
