package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigKeysTest {
    @Test
    void envVarIsThePrefixedUpperSnakeCaseKey() {
        assertThat(ConfigKeys.envVarFor("streaming.editInterval")).isEqualTo("GEMINI_BOT_STREAMING_EDIT_INTERVAL");
        assertThat(ConfigKeys.envVarFor("slack.http.port")).isEqualTo("GEMINI_BOT_SLACK_HTTP_PORT");
        assertThat(ConfigKeys.envVarFor("discord.guildIds")).isEqualTo("GEMINI_BOT_DISCORD_GUILD_IDS");
        assertThat(ConfigKeys.envVarFor("gemini.baseUrl")).isEqualTo("GEMINI_BOT_GEMINI_BASE_URL");
        assertThat(ConfigKeys.envVarFor("limits.maxQueuedPerConversation"))
                .isEqualTo("GEMINI_BOT_LIMITS_MAX_QUEUED_PER_CONVERSATION");
    }

    @Test
    void unknownKeysHaveNoVariable() {
        assertThatThrownBy(() -> ConfigKeys.envVarFor("streaming.nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDocumentedKeysAreAllThere() {
        // DESIGN.md section 7: operators' files rely on these names.
        assertThat(ConfigKeys.all()).contains("gemini.baseUrl", "gemini.model", "streaming.editInterval",
                "discord.restBaseUrl", "discord.gatewayUrl", "discord.guildIds", "discord.replyInThread",
                "slack.apiBaseUrl", "slack.mode", "slack.http.port", "slack.http.path", "slack.replyInThread");
        assertThat(ConfigKeys.all()).doesNotHaveDuplicates()
                .doesNotContain("gemini.apiKey", "discord.token", "slack.botToken", "slack.appToken", "slack.signingSecret");
        assertThat(ConfigKeys.secretEnvVars()).containsExactly("GEMINI_API_KEY", "DISCORD_BOT_TOKEN",
                "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "REDIS_URL");
        assertThat(ConfigKeys.all()).contains("state.backend", "state.path", "state.keyPrefix")
                .doesNotContain("state.redisUrl");
    }

    @Test
    void everyVariableNameIsDistinct() {
        assertThat(ConfigKeys.all().stream().map(ConfigKeys::envVarFor)).doesNotHaveDuplicates();
    }
}
