package dev.geminibot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminibot.config.ShardRange;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void aRateLimitBecomesRateLimitedWithItsRetryAfter() {
        var mapped = PlatformErrors.map(new CompletionException(new RateLimitedException("channels/1/messages/2", 1500)));
        assertThat(mapped.kind()).isEqualTo(PlatformException.Kind.RATE_LIMITED);
        assertThat(mapped.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void onlyTheBotsOwnMentionIsStripped() {
        assertThat(MessageRouter.withoutSelfMention("<@1> hi <@!1> <@2>", "1")).isEqualTo("hi  <@2>");
    }

    @Test
    void threadNamesAreTheFirstLineWithinDiscordsLimit() {
        assertThat(MessageRouter.threadName("short\nsecond line")).isEqualTo("short");
        assertThat(MessageRouter.threadName("x".repeat(200))).hasSize(90).endsWith("…");
        assertThat(MessageRouter.threadName("  ")).isEqualTo("Gemini");
    }

    @Test
    void aShardRangeNeedsATotalAndMustFitInIt() {
        var builder = DefaultShardManagerBuilder.createLight("token");
        DiscordBot.applyShardRange(builder, new ShardRange(0, 3), 8);
        assertThatThrownBy(() -> DiscordBot.applyShardRange(builder, new ShardRange(0, 3), 0))
                .hasMessageContaining("discord.shardRange").hasMessageContaining("discord.shards");
        assertThatThrownBy(() -> DiscordBot.applyShardRange(builder, new ShardRange(4, 9), 8))
                .hasMessageContaining("0..7");
    }

    @Test
    void theStopButtonNamesItsAsker() {
        assertThat(DiscordMessages.stopButtonAsker(DiscordMessages.STOP_BUTTON_PREFIX + "42")).contains("42");
        assertThat(DiscordMessages.stopButtonAsker("something-else")).isEmpty();
        var data = DiscordMessages.create("@everyone hi", true, "42").toData().toString();
        assertThat(data).contains("\"parse\":[]").contains("\"replied_user\":false");
    }
}
