package dev.geminibot.discord;

import dev.geminibot.core.ops.PlatformRequestMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.Request;

/**
 * Counts every REST call JDA makes (an interceptor on JDA's own OkHttp client, JDA's retries after a 429
 * included) with {@code platform="discord"}. {@code method} is the route with its ids replaced, e.g.
 * {@code PATCH /channels/{channel}/messages/{message}}, so the label has a small, fixed set of values and
 * never carries an id or an interaction token.
 */
final class RequestMeter extends PlatformRequestMeter {

    /** Path words Discord's routes use; anything else in a path is an id, a token or an emoji. */
    private static final Set<String> WORDS = Set.of("applications", "channels", "guilds", "users", "@me",
            "messages", "webhooks", "interactions", "callback", "original", "commands", "threads", "reactions",
            "members", "roles", "pins", "typing", "gateway", "bot", "followup", "bulk-delete", "permissions",
            "invites", "emojis", "stickers", "recipients", "thread-members", "public", "private", "archived",
            "active", "search", "crosspost", "attachments", "voice-states", "audit-logs", "bans", "prune",
            "integrations", "widget", "widget.json", "vanity-url", "scheduled-events", "templates", "stage-instances",
            "entitlements", "skus", "oauth2", "applications-commands", "polls", "answers", "expire", "@original");
    /** What an id after one of these words stands for. */
    private static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
            Map.entry("channels", "{channel}"), Map.entry("messages", "{message}"), Map.entry("guilds", "{guild}"),
            Map.entry("users", "{user}"), Map.entry("webhooks", "{webhook}"),
            Map.entry("interactions", "{interaction}"), Map.entry("applications", "{application}"),
            Map.entry("commands", "{command}"), Map.entry("threads", "{thread}"), Map.entry("reactions", "{emoji}"),
            Map.entry("members", "{member}"), Map.entry("roles", "{role}"), Map.entry("pins", "{message}"),
            Map.entry("thread-members", "{user}"), Map.entry("attachments", "{attachment}"),
            Map.entry("recipients", "{user}"), Map.entry("permissions", "{overwrite}"));

    private final String basePath;

    /** @param basePath the path of {@code discord.restBaseUrl}, e.g. {@code /api/v10/}, left out of the route */
    RequestMeter(MeterRegistry registry, String basePath) {
        super(registry, Conversations.PLATFORM);
        this.basePath = basePath.endsWith("/") ? basePath : basePath + "/";
    }

    @Override
    protected String method(Request request) {
        return route(request.method(), request.url().encodedPath());
    }

    /** {@code PATCH}, {@code /api/v10/channels/123/messages/456} to {@code PATCH /channels/{channel}/messages/{message}}. */
    String route(String httpMethod, String path) {
        String rest = path.startsWith(basePath) ? path.substring(basePath.length()) : path.replaceFirst("^/", "");
        StringBuilder route = new StringBuilder(httpMethod).append(' ');
        String previous = "";
        for (String segment : List.of(rest.split("/"))) {
            if (segment.isEmpty()) {
                continue;
            }
            String shown;
            if (WORDS.contains(segment)) {
                shown = segment;
            } else if (PLACEHOLDERS.containsKey(previous)) {
                shown = PLACEHOLDERS.get(previous);
            } else if (previous.equals("{emoji}")) {
                shown = "{user}";
            } else if (previous.startsWith("{")) {
                // webhooks/{webhook}/TOKEN, interactions/{interaction}/TOKEN: never show the token.
                shown = "{token}";
            } else {
                shown = "{id}";
            }
            route.append('/').append(shown);
            previous = shown;
        }
        return rest.isEmpty() ? route.append('/').toString() : route.toString();
    }
}
