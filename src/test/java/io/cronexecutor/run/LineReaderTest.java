package io.cronexecutor.run;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {

    private static List<String> lines(String text, int max) throws IOException {
        List<String> out = new ArrayList<>();
        new LineReader(max).drain(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out::add);
        return out;
    }

    @Test
    void splitsOnNewlinesAndDropsCarriageReturns() throws IOException {
        assertEquals(List.of("a", "", "b c", "last"), lines("a\n\r\nb c\r\nlast", 100));
    }

    @Test
    void utf8SurvivesTheSplit() throws IOException {
        assertEquals(List.of("héllo ✓"), lines("héllo ✓\n", 100));
    }

    @Test
    void lineWithoutNewlineIsCutIntoBoundedPieces() throws IOException {
        List<String> pieces = lines("x".repeat(25), 10);
        assertEquals(List.of("x".repeat(10), "x".repeat(10), "x".repeat(5)), pieces);
    }

    @Test
    void endlessOutputWithoutNewlinesNeverHoldsMoreThanOneLine() throws IOException {
        long total = 64L * 1024 * 1024;
        InputStream endless = new InputStream() {
            long left = total;

            @Override
            public int read() {
                return left-- > 0 ? 'z' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                left -= n;
                return n;
            }
        };
        long[] seen = {0, 0};
        new LineReader(4096).drain(endless, line -> {
            seen[0] += line.length();
            seen[1] = Math.max(seen[1], line.length());
        });
        assertEquals(total, seen[0]);
        assertTrue(seen[1] <= 4096, "longest piece " + seen[1]);
    }
}
