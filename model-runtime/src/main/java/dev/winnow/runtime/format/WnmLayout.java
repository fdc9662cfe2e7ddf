package dev.winnow.runtime.format;

/** Constants of the `.wnm` layout shared by reader and writer (docs/artifact-format.md). */
final class WnmLayout {
    static final byte[] MAGIC = {(byte) 0x89, 'W', 'N', 'M', 0x0D, 0x0A, 0x1A, 0x0A};
    static final int MAJOR = 1;
    static final int MINOR = 0;
    static final int MAX_METADATA_BYTES = 1 << 20;
    static final int MAX_TENSORS = 65_536;
    static final int MAX_NAME_BYTES = 255;
    static final int DIGEST_BYTES = 32;
    static final int PAYLOAD_ALIGN = 8;
    static final int ENTROPY_NONE = 0;
    static final int ENTROPY_HUFFMAN = 1;
    static final int QUANT_NONE = 0;
    static final int QUANT_PER_TENSOR = 1;
    static final int QUANT_PER_AXIS = 2;

    private WnmLayout() {}

    static boolean validName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
