package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackTextTest {
    private static final Map<String, String> NAMES = Map.of("U02BOB", "Bob");

    private static String read(String text) {
        return SlackText.fromUser(text, "UBOT", id -> NAMES.getOrDefault(id, id));
    }

    @Test
    void dropsTheBotsMentionAndNamesOtherPeople() {
        assertThat(read("<@UBOT> what did <@U02BOB> mean?")).isEqualTo("what did @Bob mean?");
        assertThat(read("<@UBOT|gemini> ask <@U09X|someone>")).isEqualTo("ask @U09X");
    }

    @Test
    void showsChannelLinksByNameAndDecodesEntities() {
        assertThat(read("<@UBOT> see <#C0123|general> &amp; compare a &lt; b &gt; c"))
                .isEqualTo("see #general & compare a < b > c");
    }

    @Test
    void aNameWithReplacementCharactersIsTakenLiterally() {
        assertThat(SlackText.fromUser("hi <@U1>", "UBOT", id -> "$1 \\o/")).isEqualTo("hi @$1 \\o/");
    }
}
