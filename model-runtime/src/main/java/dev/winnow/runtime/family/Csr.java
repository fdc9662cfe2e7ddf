package dev.winnow.runtime.family;

/**
 * Row-compressed non-zeros of a dense row-major [rows][cols] matrix: row r's entries are
 * {@code col[k], val[k]} for k in [{@code start[r]}, {@code start[r + 1]}). How the families keep
 * their sparse weights, so a pruned matrix costs only its non-zeros.
 */
record Csr(int[] start, int[] col, float[] val) {
    static Csr of(float[] m, int rows, int cols) {
        int nnz = nonZeros(m);
        int[] start = new int[rows + 1], col = new int[nnz];
        float[] val = new float[nnz];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            start[r] = k;
            for (int c = 0; c < cols; c++) {
                float v = m[r * cols + c];
                if (v != 0f) {
                    col[k] = c;
                    val[k++] = v;
                }
            }
        }
        start[rows] = k;
        return new Csr(start, col, val);
    }

    /** The same of an int8 matrix (its values are exact in float); {@link #int8Values} gives them back as bytes. */
    static Csr of(byte[] m, int rows, int cols) {
        float[] wide = new float[m.length];
        for (int i = 0; i < m.length; i++) wide[i] = m[i];
        return of(wide, rows, cols);
    }

    /** The non-zeros as int8, for a matrix made {@link #of(byte[], int, int) of int8 values}. */
    byte[] int8Values() {
        byte[] b = new byte[val.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) val[i];
        return b;
    }

    static int nonZeros(float[] a) {
        int n = 0;
        for (float v : a) if (v != 0f) n++;
        return n;
    }
}
