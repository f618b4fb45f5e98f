package dev.tessera.partitioner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class DelimitedTest {
    private static void tabs(String line, String... expected) {
        assertArrayEquals(expected, Delimited.splitTabs(line), () -> "splitTabs(" + line.replace("\r", "\\r") + ")");
    }

    private static void csv(String line, String... expected) {
        assertArrayEquals(expected, Delimited.splitCsv(line), () -> "splitCsv(" + line.replace("\r", "\\r") + ")");
    }

    @Test
    void tabsSplitOnEveryTab() {
        tabs("a\tb\tc", "a", "b", "c");
        tabs("alice\tlikes\tbook\t0.5", "alice", "likes", "book", "0.5");
        tabs("no tabs, here", "no tabs, here");
        tabs(" a \t b ", " a ", " b "); // no trimming at this level
    }

    @Test
    void tabsKeepEmptyFields() {
        tabs("", "");
        tabs("\t", "", "");
        tabs("a\t\tb", "a", "", "b");
        tabs("\ta\t", "", "a", "");
    }

    @Test
    void tabsDropOneTrailingCarriageReturn() {
        tabs("a\tb\r", "a", "b");
        tabs("a\t\r", "a", "");
        tabs("\r", "");
        tabs("a\rb\tc", "a\rb", "c"); // only at the end of the line
        tabs("a\r\tb", "a\r", "b"); // only on the last field
    }

    @Test
    void tabsIgnoreQuotes() {
        tabs("\"a\tb\"", "\"a", "b\"");
    }

    @Test
    void csvSplitsOnCommas() {
        csv("a,b,c", "a", "b", "c");
        csv("a b,c", "a b", "c");
        csv("a\tb,c", "a\tb", "c");
    }

    @Test
    void csvKeepsEmptyFields() {
        csv("", "");
        csv(",", "", "");
        csv("a,,b", "a", "", "b");
        csv(",a,", "", "a", "");
        csv("\"\",x", "", "x");
    }

    @Test
    void csvDropsATrailingCarriageReturn() {
        csv("a,b\r", "a", "b");
        csv("a,\r", "a", "");
        csv("\"a\",\"b\"\r", "a", "b");
    }

    @Test
    void csvHonoursQuotes() {
        csv("\"a,b\",c", "a,b", "c");
        csv("\"say \"\"hi\"\"\",x", "say \"hi\"", "x");
        csv("\"\"\"\"", "\"");
        csv("\"a\"\"\",\"b,\"\"c\"\",d\"", "a\"", "b,\"c\",d");
        csv("x,\"1,000\",\"\"", "x", "1,000", "");
        csv("\"tab\there\",y", "tab\there", "y");
    }
}
