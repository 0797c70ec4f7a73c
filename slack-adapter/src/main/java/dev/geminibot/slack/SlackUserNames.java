package dev.geminibot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.User;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Display names for Slack user ids, so the model reads "[Alice] question" rather than "[U0123ABCD]"
 * in a channel with several people. One {@code users.info} call per user per hour; when it fails (no
 * {@code users:read} scope, a network error) the id stands in, and is kept as the answer for the hour
 * too, so a missing scope costs one call per user rather than one per message.
 */
final class SlackUserNames {
    private static final Logger log = LoggerFactory.getLogger(SlackUserNames.class);

    private final MethodsClient client;
    private final Cache<String, String> names = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(Duration.ofHours(1)).build();

    SlackUserNames(MethodsClient client) {
        this.client = client;
    }

    /** The user's display name, real name or handle, in that order; the id when none can be had. Blocks. */
    String nameOf(String userId) {
        if (userId == null || userId.isEmpty()) {
            return "";
        }
        return names.get(userId, this::lookUp);
    }

    private String lookUp(String userId) {
        try {
            UsersInfoResponse response = SlackCalls.call("users.info", () -> client.usersInfo(r -> r.user(userId)));
            User user = response.getUser();
            if (user != null) {
                User.Profile profile = user.getProfile();
                for (String name : new String[] {profile == null ? null : profile.getDisplayName(),
                        user.getRealName(), user.getName()}) {
                    if (name != null && !name.isBlank()) {
                        return name.strip();
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("users.info failed for {}: {}", userId, e.getMessage());
        }
        return userId;
    }
}
