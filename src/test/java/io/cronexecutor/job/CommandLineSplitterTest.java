package io.cronexecutor.job;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineSplitterTest {

    @Test
    void blanksSeparateWords() {
        assertEquals(List.of("/opt/backup/run.sh", "--full", "x"), CommandLineSplitter.split("  /opt/backup/run.sh\t--full   x "));
    }

    @Test
    void doubleQuotesKeepSpacesInOneWord() {
        assertEquals(List.of("/opt/backup/run.sh", "--full", "/var/lib/my data"),
                CommandLineSplitter.split("/opt/backup/run.sh --full \"/var/lib/my data\""));
    }

    @Test
    void singleQuotesAreLiteralEvenForBackslashesAndDollars() {
        assertEquals(List.of("echo", "a \\n $HOME \"q\""), CommandLineSplitter.split("echo 'a \\n $HOME \"q\"'"));
    }

    @Test
    void backslashEscapesOutsideQuotes() {
        assertEquals(List.of("touch", "my file", "semi;colon"), CommandLineSplitter.split("touch my\\ file semi\\;colon"));
    }

    @Test
    void insideDoubleQuotesOnlySpecialCharactersAreEscaped() {
        assertEquals(List.of("a\"b", "c\\d", "$e"), CommandLineSplitter.split("\"a\\\"b\" \"c\\d\" \"\\$e\""));
    }

    @Test
    void adjacentQuotedPartsJoinIntoOneWord() {
        assertEquals(List.of("--name=John Smith's"), CommandLineSplitter.split("--name=\"John Smith\"\"'s\""));
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() {
        assertEquals(List.of("printf", "", "x"), CommandLineSplitter.split("printf '' x"));
    }

    @Test
    void shellOperatorsAreOrdinaryCharacters() {
        assertEquals(List.of("echo", "a", "|", "b", ">", "c", "&&", "rm"), CommandLineSplitter.split("echo a | b > c && rm"));
    }

    @Test
    void unterminatedQuoteIsAnErrorNamingThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandLineSplitter.split("echo \"abc"));
        assertTrue(e.getMessage().contains("unterminated double quote at position 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandLineSplitter.split("echo 'abc"));
        assertThrows(IllegalArgumentException.class, () -> CommandLineSplitter.split("echo abc\\"));
    }

    @Test
    void blankCommandHasNoWords() {
        assertEquals(List.of(), CommandLineSplitter.split("   "));
    }
}
