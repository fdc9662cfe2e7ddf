package dev.winnow.examples.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what a job prints on {@code System.out} while still showing it on the console; closing
 * puts the console back. For the tests of console lines (model swaps, summaries). Not for parallel tests.
 */
public final class ConsoleCapture implements AutoCloseable {
    private final PrintStream console = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public ConsoleCapture() {
        System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
    }

    /** Everything printed since the capture began. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.setOut(console);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            synchronized (b) {
                a.write(c);
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            synchronized (b) {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        }
    }
}
