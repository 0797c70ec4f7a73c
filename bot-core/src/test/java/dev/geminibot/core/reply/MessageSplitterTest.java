package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageSplitterTest {

    private static int split(String text, int max) {
        return new MessageSplitter(TextRenderer.MARKDOWN, max).split(text, 0, text.length(), null);
    }

    private static String first(String text, int max) {
        return MessageSplitter.partText(text, 0, split(text, max), null, true);
    }

    @Test
    void prefersAParagraph() {
        String text = "First paragraph is here.\n\nSecond one. It goes on\nand on and on";
        assertThat(first(text, 40)).isEqualTo("First paragraph is here.\n\n");
    }

    @Test
    void thenALine() {
        String text = "One line that is long\nanother line. And more words here";
        assertThat(first(text, 40)).isEqualTo("One line that is long\n");
    }

    @Test
    void thenASentence() {
        String text = "A sentence that ends. Then another sentence goes on and on";
        assertThat(first(text, 40)).isEqualTo("A sentence that ends. ");
    }

    @Test
    void thenAWord() {
        String text = "words words words words words words words words";
        assertThat(first(text, 20)).isEqualTo("words words words ");
    }

    @Test
    void hardCutOnlyForOneLongToken() {
        String text = "x".repeat(50);
        assertThat(first(text, 20)).isEqualTo("x".repeat(20));
    }

    @Test
    void aBetterKindOfBoundaryMustNotLeaveTheMessageMostlyEmpty() {
        String text = "Hi.\n\n" + "word ".repeat(30);
        assertThat(first(text, 60).length()).isGreaterThan(30);
    }

    @Test
    void hardCutNeverSplitsASurrogatePairOrAnEmojiSequence() {
        String emoji = "😀".repeat(30);
        String part = first(emoji, 21);
        assertThat(part).isEqualTo("😀".repeat(10));
        String family = "👨‍👩‍👧".repeat(5); // ZWJ sequences of 8 chars each
        String cut = first(family, 20);
        assertThat(family).startsWith(cut);
        assertThat(cut.length() % 8).isZero();
    }

    @Test
    void ideographsSplitBetweenCharactersPreferringFullStops() {
        String text = "这是第一句。这是第二句话它很长很长很长很长";
        assertThat(first(text, 12)).isEqualTo("这是第一句。");
    }

    @Test
    void neverSplitsInsideCodeWhenABoundaryOutsideFits() {
        String text = "Some intro text here.\n```python\nprint(1)\nprint(2)\nprint(3)\n```\n";
        assertThat(first(text, 45)).isEqualTo("Some intro text here.\n");
    }

    @Test
    void longCodeBlockIsClosedAndReopenedWithItsLanguage() {
        String code = "```python\n" + "x = 1\n".repeat(20) + "```\nDone.";
        MessageSplitter splitter = new MessageSplitter(TextRenderer.MARKDOWN, 50);
        int end = splitter.split(code, 0, code.length(), null);
        String first = MessageSplitter.partText(code, 0, end, null, true);
        assertThat(first).startsWith("```python\nx = 1\n").endsWith("x = 1\n```");
        assertThat(first.length()).isLessThanOrEqualTo(50);
        Fence open = Fence.scan(code, 0, end, null);
        assertThat(open).isEqualTo(new Fence("```", "python"));
        String second = MessageSplitter.partText(code, end, code.length(), open, true);
        assertThat(second).startsWith("```python\nx = 1\n");
    }

    @Test
    void renderedLengthCounts() {
        TextRenderer escaping = md -> md.replace("&", "&amp;");
        MessageSplitter splitter = new MessageSplitter(escaping, 20);
        String text = "& & & & & & & & & & & &";
        int end = splitter.split(text, 0, text.length(), null);
        assertThat(escaping.render(text.substring(0, end)).length()).isLessThanOrEqualTo(20);
        assertThat(end).isGreaterThan(0);
    }

    @Test
    void fenceRecognition() {
        assertThat(Fence.opening("```js")).isEqualTo(new Fence("```", "js"));
        assertThat(Fence.opening("~~~~")).isEqualTo(new Fence("~~~~", ""));
        assertThat(Fence.opening("``` a`b")).isNull();
        assertThat(Fence.opening("``")).isNull();
        assertThat(new Fence("````", "").closedBy("```")).isFalse();
        assertThat(new Fence("```", "").closedBy("````  ")).isTrue();
        assertThat(Fence.scanToEnd("text\n```py")).isEqualTo(new Fence("```", "py"));
    }
}
