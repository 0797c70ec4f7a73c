package dev.geminibot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.User;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may change channel settings on Slack: the users in {@code slack.adminUsers}, or, when that list is
 * empty, the workspace's admins and owners as {@code users.info} reports them ({@code is_admin},
 * {@code is_owner}; needs {@code users:read}). A lookup that fails counts as "not an admin". Answers are kept
 * for a minute.
 */
final class SlackAdmins {
    private static final Logger log = LoggerFactory.getLogger(SlackAdmins.class);

    private final Set<String> configured;
    private final MethodsClient client;
    private final Cache<String, Boolean> looked = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    SlackAdmins(List<String> adminUsers, MethodsClient client) {
        this.configured = Set.copyOf(adminUsers);
        this.client = client;
    }

    /** Whether {@code userId} may change settings. May block on {@code users.info}. */
    boolean mayChange(String userId) {
        if (!configured.isEmpty()) {
            return configured.contains(userId);
        }
        return looked.get(userId, this::isWorkspaceAdmin);
    }

    /** Who may change settings, as a refusal names them. */
    String who() {
        return configured.isEmpty() ? "workspace admins" : "the bot's admins (slack.adminUsers)";
    }

    private boolean isWorkspaceAdmin(String userId) {
        try {
            User user = SlackCalls.call("users.info", () -> client.usersInfo(r -> r.user(userId))).getUser();
            return user != null && (user.isAdmin() || user.isOwner());
        } catch (RuntimeException e) {
            log.warn("users.info failed for {}, so they may not change settings: {}", userId, e.getMessage());
            return false;
        }
    }
}
