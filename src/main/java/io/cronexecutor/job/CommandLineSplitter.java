package io.cronexecutor.job;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configured command into argv the way a POSIX shell splits words (blanks separate
 * words; single quotes, double quotes and backslashes quote), without any expansion. The result
 * is executed directly, never through a shell, so no character in it has a special meaning
 * beyond the quoting.
 */
public final class CommandLineSplitter {

    private CommandLineSplitter() {
    }

    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        // A word can be empty yet present (""), so track it apart from the builder's length.
        boolean inWord = false;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote at position " + (i + 1));
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = readDoubleQuoted(command, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("trailing backslash at position " + (i + 1));
                }
                char next = command.charAt(i + 1);
                if (next != '\n') { // backslash-newline is a line continuation
                    word.append(next);
                    inWord = true;
                }
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** Reads a double-quoted section opening at {@code start}; returns the index after its closing quote. */
    private static int readDoubleQuoted(String command, int start, StringBuilder word) {
        int i = start + 1;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < command.length()) {
                char next = command.charAt(i + 1);
                // Inside double quotes a backslash only escapes these; elsewhere it is literal.
                if (next == '"' || next == '\\' || next == '$' || next == '`') {
                    word.append(next);
                    i += 2;
                    continue;
                }
                if (next == '\n') {
                    i += 2;
                    continue;
                }
            }
            word.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated double quote at position " + (start + 1));
    }
}
