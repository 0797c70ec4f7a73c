package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownHealerTest {

    /** What an intermediate edit shows for {@code text} (already cut at a word), with "▌" as cursor. */
    private static String shown(String text) {
        return MarkdownHealer.display(text, 0, "▌").text();
    }

    @Test
    void plainTextGetsTheCursor() {
        assertThat(shown("Hello world")).isEqualTo("Hello world▌");
        assertThat(shown("Hello world \n")).isEqualTo("Hello world▌");
    }

    @Test
    void halfWrittenWordIsHeldBack() {
        assertThat(MarkdownHealer.cutAtWord("Hello wor")).isEqualTo("Hello ".length());
        assertThat(MarkdownHealer.cutAtWord("Hello world ")).isEqualTo("Hello world ".length());
        assertThat(MarkdownHealer.cutAtWord("Hello")).isEqualTo(5); // no whitespace yet: show what there is
        assertThat(MarkdownHealer.cutAtWord("")).isZero();
    }

    @Test
    void ideographsAreWholeWords() {
        assertThat(MarkdownHealer.cutAtWord("Hi 你好世界")).isEqualTo("Hi 你好世界".length());
        assertThat(MarkdownHealer.cutAtWord("你好 wor")).isEqualTo("你好 ".length());
        assertThat(MarkdownHealer.cutAtWord("see 日本abc")).isEqualTo("see 日本".length());
    }

    @Test
    void openCodeFenceIsClosedAndCursorStaysInside() {
        assertThat(shown("Look:\n```python\nprint(1)\n")).isEqualTo("Look:\n```python\nprint(1)▌\n```");
    }

    @Test
    void cursorNeverSitsOnAFenceLine() {
        assertThat(shown("Look:\n```python\n")).isEqualTo("Look:\n```python\n▌\n```");
        assertThat(shown("```js\nx\n```\n")).isEqualTo("```js\nx\n```\n▌");
    }

    @Test
    void halfWrittenFenceLineIsHeldBack() {
        assertThat(shown("Look:\n``")).isEqualTo("Look:▌");
        assertThat(shown("Look:\n```pyth")).isEqualTo("Look:▌");
        assertThat(shown("```js\nx = 1\n``")).isEqualTo("```js\nx = 1▌\n```");
    }

    @Test
    void danglingBoldIsHeldBackUntilItsPartnerArrives() {
        assertThat(shown("This is **very ")).isEqualTo("This is▌");
        assertThat(shown("This is **very** good")).isEqualTo("This is **very** good▌");
        assertThat(shown("**")).isEmpty();
    }

    @Test
    void danglingItalicStrikeAndInlineCodeAreHeldBack() {
        assertThat(shown("an *important ")).isEqualTo("an▌");
        assertThat(shown("an _important ")).isEqualTo("an▌");
        assertThat(shown("an ~~old ")).isEqualTo("an▌");
        assertThat(shown("call `foo( ")).isEqualTo("call▌");
        assertThat(shown("call `foo()` now")).isEqualTo("call `foo()` now▌");
        assertThat(shown("both ***at once*** done")).isEqualTo("both ***at once*** done▌");
    }

    @Test
    void bulletsSnakeCaseAndArithmeticAreNotEmphasis() {
        assertThat(shown("* one\n* two")).isEqualTo("* one\n* two▌");
        assertThat(shown("use snake_case_names here")).isEqualTo("use snake_case_names here▌");
        assertThat(shown("2 * 3 = 6")).isEqualTo("2 * 3 = 6▌");
        assertThat(shown("call `a*b` and `x_`")).isEqualTo("call `a*b` and `x_`▌");
        assertThat(shown("escaped \\*star")).isEqualTo("escaped \\*star▌");
    }

    @Test
    void markersInsideCodeFencesAreCode() {
        assertThat(shown("```py\ndef f(*args, **kw):\n")).isEqualTo("```py\ndef f(*args, **kw):▌\n```");
    }

    @Test
    void anOpenerInAnEarlierParagraphIsLiteralAndNotHeld() {
        assertThat(shown("a *lonely star\n\nnext paragraph")).isEqualTo("a *lonely star\n\nnext paragraph▌");
    }

    @Test
    void tableWaitsForItsSeparatorLine() {
        assertThat(shown("Here:\n| a | b |")).isEqualTo("Here:▌");
        assertThat(shown("Here:\n| a | b |\n")).isEqualTo("Here:▌");
        assertThat(shown("Here:\n| a | b |\n|---|-")).isEqualTo("Here:▌");
        assertThat(shown("Here:\n| a | b |\n|---|---|\n| 1 |")).isEqualTo("Here:\n| a | b |\n|---|---|\n| 1 |▌");
    }

    @Test
    void reopenedFenceHeaderAloneShowsNothing() {
        String prefix = "```py\n";
        assertThat(MarkdownHealer.display(prefix, prefix.length(), "▌").text()).isEmpty();
        assertThat(MarkdownHealer.display(prefix + "x = 1\n", prefix.length(), "▌").text())
                .isEqualTo("```py\nx = 1▌\n```");
    }

    @Test
    void keepIsAPrefixLength() {
        MarkdownHealer.Shown shown = MarkdownHealer.display("ok **dangling", 0, "");
        assertThat(shown.keep()).isEqualTo("ok ".length());
    }

    /**
     * Healing a live message resumes its line scan where the edit before left it; for every text it must
     * show exactly what a scan from the start shows. Random Markdown (fences, tables, lists, emphasis,
     * blank lines) grows a few characters at a time, and now and then the text shrinks (a held-back tail).
     */
    @Test
    void aResumedScanShowsWhatAFreshScanShows() {
        String[] pieces = {"word ", "two words", "\n", "\n\n", "```", "```python\n", "~~~\n", "    ```\n", "| a | b |\n",
            "|---|---|\n", "- item ", "1. first ", "> quote ", "# Head\n", "**", "*", "_", "__", "~~", "`", "snake_case ",
            "\\*", "  \t\n", "猫 ", "x = 1\n"};
        for (long seed = 1; seed <= 300; seed++) {
            java.util.Random random = new java.util.Random(seed);
            StringBuilder all = new StringBuilder();
            while (all.length() < 400) {
                all.append(pieces[random.nextInt(pieces.length)]);
            }
            MarkdownHealer.LineScan scan = new MarkdownHealer.LineScan();
            int end = 0;
            while (end < all.length()) {
                end = random.nextInt(8) == 0 ? Math.max(0, end - random.nextInt(20)) : end + 1 + random.nextInt(12);
                String text = all.substring(0, Math.min(end, all.length()));
                int from = random.nextInt(3) == 0 ? Math.min(text.length(), 4) : 0;
                assertThat(MarkdownHealer.display(text, from, "▌", scan))
                        .as("seed %d, text %s", seed, text)
                        .isEqualTo(MarkdownHealer.display(text, from, "▌"));
            }
        }
    }
}
