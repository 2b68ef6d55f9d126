package io.cronexecutor.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a stream into lines without ever holding more than {@code maxLineBytes} of one line: a
 * longer line is handed on in pieces. A command that prints a gigabyte with no newline must not
 * take the heap with it.
 */
public final class LineReader {

    private final int maxLineBytes;

    public LineReader(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Reads until end of stream, passing each line (without its line terminator) to {@code sink}. */
    public void drain(InputStream in, Consumer<String> sink) throws IOException {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    emit(line, sink);
                    start = i + 1;
                } else if (line.size() + (i - start + 1) >= maxLineBytes) {
                    line.write(buffer, start, i - start + 1);
                    emit(line, sink);
                    start = i + 1;
                }
            }
            line.write(buffer, start, n - start);
        }
        if (line.size() > 0) {
            emit(line, sink);
        }
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> sink) {
        int length = line.size();
        byte[] bytes = line.toByteArray();
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        sink.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
        line.reset();
    }
}
