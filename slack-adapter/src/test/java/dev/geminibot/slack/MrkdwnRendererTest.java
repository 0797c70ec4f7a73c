package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MrkdwnRendererTest {

    private final MrkdwnRenderer renderer = MrkdwnRenderer.INSTANCE;

    @Test
    void convertsInlineFormatting() {
        assertThat(renderer.render("**bold**, *italic*, _also_ and `code`"))
                .isEqualTo("*bold*, _italic_, _also_ and `code`");
    }

    @Test
    void convertsLinksAndKeepsOnlyWebAndMailTargets() {
        assertThat(renderer.render("See [the docs](https://example.com/a?b=1&c=2) or <https://x.dev>."))
                .isEqualTo("See <https://example.com/a?b=1&amp;c=2|the docs> or <https://x.dev>.");
        assertThat(renderer.render("[click](javascript:alert(1)) [me](!channel)")).isEqualTo("click me");
        assertThat(renderer.render("[a|b>c](https://e.com/x|y>z)")).isEqualTo("<https://e.com/x%7Cy%3Ez|a¦b&gt;c>");
    }

    @Test
    void convertsHeadingsListsQuotesAndRules() {
        String markdown = """
                # Title

                Intro line
                next line

                - one
                - two
                  - nested

                1. first
                2. second

                > quoted

                ---""";
        assertThat(renderer.render(markdown)).isEqualTo("""
                *Title*

                Intro line
                next line

                • one
                • two
                   • nested

                1. first
                2. second

                &gt; quoted

                ───""");
    }

    @Test
    void codeBlocksDropTheLanguageAndKeepTheirTextEscaped() {
        assertThat(renderer.render("```java\nif (a < b && c > d) {}\n```"))
                .isEqualTo("```\nif (a &lt; b &amp;&amp; c &gt; d) {}\n```");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<#C123|general>",
            "<!subteam^S123>", "`<!here>`", "```\n<!channel>\n```", "[<!here>](https://e.com)", "<div><!here></div>",
            "**<!everyone>**", "&lt;!channel&gt;"})
    void modelTextCanNeverFormASlackControlSequence(String markdown) {
        String rendered = renderer.render(markdown);
        assertThat(rendered).doesNotContain("<!").doesNotContain("<@").doesNotContain("<#");
    }

    @Test
    void escapesAmpersandsAndAngleBrackets() {
        assertThat(renderer.render("a & b < c > d")).isEqualTo("a &amp; b &lt; c &gt; d");
        assertThat(renderer.render("Tom &amp; Jerry")).isEqualTo("Tom &amp; Jerry");
    }

    @Test
    void strikethroughNeedsTwoTildesAndBecomesSlacksOne() {
        assertThat(renderer.render("~~gone~~ and **kept**")).isEqualTo("~gone~ and *kept*");
        assertThat(renderer.render("from ~5 min to ~10 min")).isEqualTo("from ~5 min to ~10 min");
    }

    @Test
    void aTableBecomesACodeBlockOfAlignedColumnsWithItsTextEscaped() {
        String markdown = """
                | Name | Role |
                |---|:---:|
                | **Ada** | `math` & <code> |
                | Linus | kernel |
                """;
        assertThat(renderer.render(markdown)).isEqualTo("""
                ```
                Name  | Role
                ------+--------------
                Ada   | math &amp; &lt;code&gt;
                Linus | kernel
                ```""");
    }
}
