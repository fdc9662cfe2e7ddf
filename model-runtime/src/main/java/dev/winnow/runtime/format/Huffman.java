package dev.winnow.runtime.format;

import java.util.PriorityQueue;

/**
 * Canonical Huffman coding of bytes, the last stage of Deep Compression. Encoded form: u32 decoded
 * length, 256 code lengths (one byte each, 0 = symbol absent, at most {@link #MAX_CODE_LENGTH}), then
 * the codes MSB-first. Canonical codes need only the lengths to rebuild the table, so the header is a
 * fixed 260 bytes.
 */
public final class Huffman {
    public static final int MAX_CODE_LENGTH = 24;
    static final int HEADER_BYTES = 4 + 256;

    private Huffman() {}

    public static byte[] encode(byte[] data) {
        long[] freq = new long[256];
        for (byte b : data) freq[b & 0xFF]++;
        int[] lengths = codeLengths(freq);
        int[] codes = canonicalCodes(lengths);

        ByteWriter w = new ByteWriter();
        w.i32(data.length);
        for (int l : lengths) w.u8(l);
        long acc = 0;
        int bits = 0;
        for (byte b : data) {
            int s = b & 0xFF;
            acc = (acc << lengths[s]) | codes[s];
            bits += lengths[s];
            while (bits >= 8) {
                w.u8((int) (acc >>> (bits - 8)));
                bits -= 8;
            }
            acc &= (1L << bits) - 1;
        }
        if (bits > 0) w.u8((int) (acc << (8 - bits)));
        return w.toByteArray();
    }

    /**
     * Decodes {@code encoded}. A header claiming more than {@code maxLength} bytes (the most the
     * caller's codec can need) is rejected before anything is allocated.
     */
    public static byte[] decode(byte[] encoded, long maxLength, String what) throws ModelFormatException {
        ByteReader r = new ByteReader(encoded, 0, encoded.length);
        long n = r.u32(what + ": Huffman decoded length");
        if (n > maxLength) {
            throw new ModelFormatException(what + ": Huffman stream claims " + n + " decoded bytes, at most " + maxLength + " possible");
        }
        int[] lengths = new int[256];
        int used = 0;
        double kraft = 0;
        for (int s = 0; s < 256; s++) {
            lengths[s] = r.u8(what + ": Huffman code lengths");
            if (lengths[s] > MAX_CODE_LENGTH) {
                throw new ModelFormatException(what + ": Huffman code length " + lengths[s] + " exceeds " + MAX_CODE_LENGTH);
            }
            if (lengths[s] > 0) {
                used++;
                kraft += Math.pow(2, -lengths[s]);
            }
        }
        if (n > 0 && used == 0) throw new ModelFormatException(what + ": Huffman table is empty");
        if (kraft > 1.0 + 1e-12) throw new ModelFormatException(what + ": Huffman code lengths violate the Kraft inequality");
        long maxBits = (long) (encoded.length - HEADER_BYTES) * 8;
        int[] count = new int[MAX_CODE_LENGTH + 1];
        for (int l : lengths) if (l > 0) count[l]++;
        int[] firstCode = new int[MAX_CODE_LENGTH + 2];
        int[] firstIndex = new int[MAX_CODE_LENGTH + 2];
        int code = 0;
        int index = 0;
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            code = (code + count[l - 1]) << 1;
            if (l == 1) code = 0;
            firstCode[l] = code;
            firstIndex[l] = index;
            index += count[l];
        }
        int[] symbols = new int[used];
        int[] fill = firstIndex.clone();
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            for (int s = 0; s < 256; s++) if (lengths[s] == l) symbols[fill[l]++] = s;
        }
        if (n > maxBits) throw new ModelFormatException(what + ": Huffman stream too short for " + n + " symbols");
        byte[] out = new byte[(int) n];
        long bitPos = 0;
        int base = HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            int c = 0;
            int l = 0;
            while (true) {
                if (bitPos >= maxBits) throw new ModelFormatException(what + ": Huffman stream ends inside symbol " + i);
                int bit = (encoded[base + (int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1;
                bitPos++;
                c = (c << 1) | bit;
                l++;
                if (l > MAX_CODE_LENGTH) throw new ModelFormatException(what + ": invalid Huffman code at symbol " + i);
                int k = c - firstCode[l];
                if (k >= 0 && k < count[l]) {
                    out[i] = (byte) symbols[firstIndex[l] + k];
                    break;
                }
            }
        }
        return out;
    }

    /** Huffman code lengths, flattened by halving frequencies until none exceeds the limit. */
    static int[] codeLengths(long[] freq) {
        long[] f = freq.clone();
        while (true) {
            int[] lengths = treeLengths(f);
            int max = 0;
            for (int l : lengths) max = Math.max(max, l);
            if (max <= MAX_CODE_LENGTH) return lengths;
            for (int s = 0; s < 256; s++) if (f[s] > 0) f[s] = Math.max(1, f[s] >>> 1);
        }
    }

    private static int[] treeLengths(long[] f) {
        int[] lengths = new int[256];
        int nodes = 0;
        long[] weight = new long[512];
        int[] parent = new int[512];
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int s = 0; s < 256; s++) {
            if (f[s] > 0) {
                weight[s] = f[s];
                pq.add(new long[] {f[s], s});
                nodes++;
            }
        }
        if (nodes == 0) return lengths;
        if (nodes == 1) {
            lengths[(int) pq.peek()[1]] = 1;
            return lengths;
        }
        int next = 256;
        while (pq.size() > 1) {
            long[] a = pq.poll();
            long[] b = pq.poll();
            parent[(int) a[1]] = next;
            parent[(int) b[1]] = next;
            weight[next] = a[0] + b[0];
            pq.add(new long[] {weight[next], next});
            next++;
        }
        int root = next - 1;
        for (int s = 0; s < 256; s++) {
            if (f[s] == 0) continue;
            int d = 0;
            for (int k = s; k != root; k = parent[k]) d++;
            lengths[s] = d;
        }
        return lengths;
    }

    static int[] canonicalCodes(int[] lengths) {
        int[] codes = new int[256];
        int code = 0;
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            for (int s = 0; s < 256; s++) {
                if (lengths[s] == l) codes[s] = code++;
            }
            code <<= 1;
        }
        return codes;
    }
}
