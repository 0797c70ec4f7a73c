package dev.geminibot.discord;

import java.util.concurrent.atomic.AtomicBoolean;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, once the first shard is ready, who the bot is and the URL that invites it with exactly the
 * permissions it uses, so an operator can add it to a server without working out the permission integer.
 */
final class InviteLog extends ListenerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InviteLog.class);

    static final long VIEW_CHANNEL = 1L << 10;
    static final long SEND_MESSAGES = 1L << 11;
    static final long READ_MESSAGE_HISTORY = 1L << 16;
    static final long CREATE_PUBLIC_THREADS = 1L << 35;
    static final long SEND_MESSAGES_IN_THREADS = 1L << 38;

    private final boolean replyInThread;
    private final AtomicBoolean logged = new AtomicBoolean();

    InviteLog(boolean replyInThread) {
        this.replyInThread = replyInThread;
    }

    /** View Channels, Send Messages, Read Message History, Send Messages in Threads; Create Public Threads too with {@code discord.replyInThread}. */
    static long permissions(boolean replyInThread) {
        long needed = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | SEND_MESSAGES_IN_THREADS;
        return replyInThread ? needed | CREATE_PUBLIC_THREADS : needed;
    }

    static String inviteUrl(long applicationId, boolean replyInThread) {
        return "https://discord.com/oauth2/authorize?client_id=" + Long.toUnsignedString(applicationId)
                + "&scope=bot+applications.commands&permissions=" + permissions(replyInThread);
    }

    @Override
    public void onReady(ReadyEvent event) {
        if (!logged.compareAndSet(false, true)) {
            return;
        }
        var self = event.getJDA().getSelfUser();
        log.info("Discord: logged in as {} (application {}); invite: {}", self.getName(),
                self.getApplicationId(), inviteUrl(self.getApplicationIdLong(), replyInThread));
    }
}
