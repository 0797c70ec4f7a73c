package dev.geminibot.discord;

import java.util.List;
import java.util.Optional;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/**
 * Builds every message body the adapter sends. Each one carries empty allowed mentions and does not
 * ping the replied-to user, so {@code @everyone}, {@code @here}, roles and users in model output never
 * notify anyone (JDA's default would parse them all).
 */
final class DiscordMessages {

    /** Custom id prefix of the Stop button; the asker's user id follows it. */
    static final String STOP_BUTTON_PREFIX = "gemini:stop:";

    private DiscordMessages() {
    }

    /** A new message; {@code live} adds the Stop button that only {@code askerId} (or a moderator) may press. */
    static MessageCreateData create(String text, boolean live, String askerId) {
        return new MessageCreateBuilder()
                .setContent(text)
                .setAllowedMentions(List.of())
                .mentionRepliedUser(false)
                .setComponents(live ? List.of(stopRow(askerId)) : List.of())
                .build();
    }

    /** A message of the bot's own (not an answer): no Stop button, pings nobody. */
    static MessageCreateData plain(String text) {
        return create(text, false, "");
    }

    /** An edit that replaces the text; a final edit ({@code live=false}) removes the Stop button. */
    static MessageEditData edit(String text, boolean live, String askerId) {
        return new MessageEditBuilder()
                .setContent(text)
                .setAllowedMentions(List.of())
                .mentionRepliedUser(false)
                .setComponents(live ? List.of(stopRow(askerId)) : List.of())
                .build();
    }

    /** The asker encoded in a Stop button's custom id, if it is one of ours. */
    static Optional<String> stopButtonAsker(String customId) {
        return customId.startsWith(STOP_BUTTON_PREFIX)
                ? Optional.of(customId.substring(STOP_BUTTON_PREFIX.length()))
                : Optional.empty();
    }

    private static ActionRow stopRow(String askerId) {
        return ActionRow.of(Button.danger(STOP_BUTTON_PREFIX + askerId, "Stop"));
    }
}
