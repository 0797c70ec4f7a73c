package dev.geminibot.discord;

import dev.geminibot.core.media.FileMentions;
import dev.geminibot.core.media.SharedFile;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.entities.Message;

/**
 * A message's attachments as files for the engine. Discord's CDN URLs are signed and need no token, so
 * they are downloaded exactly as given ({@code url}, else {@code proxy_url}) with no Authorization header.
 */
final class DiscordFiles {
    private DiscordFiles() {
    }

    static List<SharedFile> of(Message message) {
        return message.getAttachments().stream()
                .map(a -> new SharedFile(a.getFileName(), a.getContentType(), a.getSize(),
                        a.getUrl() != null && !a.getUrl().isEmpty() ? a.getUrl() : a.getProxyUrl(), Map.of()))
                .toList();
    }

    /** The text as history shows it: with a mention of each attachment, as the engine remembers it. */
    static String withMentions(String text, Message message) {
        return FileMentions.withMentions(text, of(message));
    }
}
