package dev.geminibot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscordTextTest {
    private static final DiscordText TEXT = DiscordText.RENDERER;

    @Test
    void everyoneAndHereAreDefusedOutsideCodeOnly() {
        assertThat(TEXT.render("hey @everyone and @here!")).isEqualTo("hey @\u200beveryone and @\u200bhere!");
        assertThat(TEXT.render("type `@everyone` to ping")).isEqualTo("type `@everyone` to ping");
        assertThat(TEXT.render("```\n@here in code\n```\n@here outside"))
                .isEqualTo("```\n@here in code\n```\n@\u200bhere outside");
        assertThat(TEXT.render("a lone ` then @everyone")).isEqualTo("a lone ` then @\u200beveryone");
        assertThat(TEXT.render("no mentions, @bob")).isEqualTo("no mentions, @bob");
    }

    @Test
    void historyReadsBackWhatTheModelWrote() {
        String model = "ping @everyone, not `@here`";
        assertThat(DiscordText.unrender(TEXT.render(model))).isEqualTo(model);
    }
}
