package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextDocumentsTest {

    @Test
    void paragraphsAreStrippedNonEmptyBlankLineBlocksAsPythonMakesThem() {
        // Python: [p.strip() for p in t.split("\n\n") if p.strip()] gives ['a b', 'c', 'd\ne']
        String text = "  a b \n\n\n\nc\n\n\n\u00A0\n\nd\ne\u2007\n\n";
        assertThat(TextDocuments.paragraphs(text)).containsExactly("a b", "c", "d\ne");
        assertThat(TextDocuments.paragraphs("")).isEmpty();
        assertThat(TextDocuments.paragraphs("one")).containsExactly("one");
    }

    @Test
    void stripRemovesWhatPythonCallsWhitespaceAndNothingElse() {
        assertThat(TextDocuments.strip("\u0085\u00A0\u202F\t x \u3000\u001C")).isEqualTo("x");
        // U+200B (zero-width space) and U+FEFF are not whitespace to Python
        assertThat(TextDocuments.strip("\u200Bx\uFEFF")).isEqualTo("\u200Bx\uFEFF");
    }

    @Test
    void lineRowsAreTheHuggingFaceWikitextRows() {
        // the head of wiki.test.raw: a blank line, a heading, a blank line, a paragraph
        String raw = " \n = Robert Boulter = \n \n Robert Boulter is an actor .\r\nlast";
        assertThat(TextDocuments.lineRows(raw)).containsExactly("", " = Robert Boulter = \n", "",
                " Robert Boulter is an actor .\n", "last");
        assertThat(WikiText2RawProvider.testText(" \n = R = \n \n x .\n"))
                .isEqualTo("\n\n = R = \n\n\n\n\n x .\n");
    }
}
