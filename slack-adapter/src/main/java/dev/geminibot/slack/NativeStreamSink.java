package dev.geminibot.slack;

import dev.geminibot.core.reply.AppendStream;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.TextRenderer;
import com.slack.api.methods.MethodsClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an answer into a thread with Slack's native streaming: {@code chat.startStream} (with the asker as
 * recipient, which Slack requires in channels) for a live post, then, through its {@link AppendStream}, {@code
 * chat.appendStream} with what the reply says is new since its last call (never one call per delta) and
 * {@code chat.stopStream}. An {@link #edit} means the text was rewritten: the stream ends and
 * {@code chat.update} replaces the text. Where Slack refuses to stream ({@code channel_type_not_supported}, an old
 * workspace) the same text is posted with {@code chat.postMessage} and later texts update it, so nothing is
 * lost. A native stream carries no Stop button (the SDK's {@code chat.startStream} takes no blocks): {@code
 * /stop} in the channel stops it, and the partial answer ends the stream.
 *
 * <p>An edit whose text still extends what was sent (a caller without the append verbs) appends the
 * difference; one that does not (Markdown healing closed a fence that now continues) stops the stream and
 * falls back to {@code chat.update} for that message. A cursor is dropped (Slack shows its own streaming state), and the "Thinking…" placeholder is shown
 * with {@code assistant.threads.setStatus} ({@link #placeholderAsStatus}), so the answer's first words start
 * the stream.
 * Text is Markdown ({@code markdown_text}), which Slack renders itself: the renderer only escapes
 * {@code & < >}, so no control sequence such as {@code <!channel>} can form.
 */
final class NativeStreamSink implements MessageSink {

    private static final Logger log = LoggerFactory.getLogger(NativeStreamSink.class);
    private static final TextRenderer ESCAPE_ONLY = text -> plainLinkTargets(MrkdwnRenderer.escape(text));
    /** {@code [title](<uri>)} (the Sources line's form, so Discord does not unfurl) after escaping. */
    private static final java.util.regex.Pattern BRACKETED_TARGET =
            java.util.regex.Pattern.compile("\\]\\(&lt;(https?://[^\\s()]*?)&gt;\\)");

    private enum Mode { PENDING, STREAMING, UPDATING }

    /** One message's state; the engine never has two calls of one answer in flight. */
    private static final class Stream {
        Mode mode;
        String ts;
        String sent = "";

        Stream(Mode mode, String ts) {
            this.mode = mode;
            this.ts = ts;
        }
    }

    private final MethodsClient client;
    private final String channel;
    private final String threadTs;
    private final String recipientUser;
    private final String recipientTeam;
    private final String thinkingText;
    private final String cursor;
    private final String rateLimitKey;
    private final Executor executor;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    /** Slack refused to stream here once: the answer's further messages are posted and updated. */
    private volatile boolean refused;
    private volatile CompletableFuture<Void> pendingStatus = CompletableFuture.completedFuture(null);

    NativeStreamSink(MethodsClient client, String channel, String threadTs, String recipientUser,
                     String recipientTeam, String thinkingText, String cursor, String rateLimitKey,
                     Executor executor) {
        this.client = client;
        this.channel = channel;
        this.threadTs = threadTs;
        this.recipientUser = recipientUser;
        this.recipientTeam = recipientTeam;
        this.thinkingText = thinkingText;
        this.cursor = cursor;
        this.rateLimitKey = rateLimitKey;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        return CompletableFuture.supplyAsync(() -> {
            afterStatus();
            String markdown = withoutCursor(text);
            Stream stream = new Stream(Mode.PENDING, null);
            open(stream, markdown, live);
            streams.put(stream.ts, stream);
            return new MessageRef(stream.ts);
        }, executor);
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        return CompletableFuture.runAsync(() -> {
            Stream stream = streams.get(message.id());
            String markdown = withoutCursor(text);
            if (stream == null) {
                // Not ours (cannot happen through the engine): the safe thing is a plain update.
                update(message.id(), markdown);
                return;
            }
            switch (stream.mode) {
                case PENDING -> throw new IllegalStateException("a message is opened by post");
                case STREAMING -> continueStream(stream, markdown, live);
                case UPDATING -> update(stream.ts, markdown);
            }
            if (!live) {
                streams.remove(message.id());
                if (stream.ts != null) {
                    streams.remove(stream.ts);
                }
            }
        }, executor);
    }

    /** The reply sends only what is new while a message grows (no diffing of whole texts here). */
    @Override
    public Optional<AppendStream> appendStream() {
        return Optional.of(appends);
    }

    private final AppendStream appends = new AppendStream() {
        @Override
        public CompletableFuture<Void> append(MessageRef message, String more) {
            return CompletableFuture.runAsync(() -> grow(message, more, true), executor);
        }

        @Override
        public CompletableFuture<Void> stop(MessageRef message, String more) {
            return CompletableFuture.runAsync(() -> grow(message, more, false), executor);
        }
    };

    /** Adds {@code more} to a message: to its stream while it is one, else by updating its whole text. */
    private void grow(MessageRef message, String more, boolean live) {
        Stream stream = streams.get(message.id());
        if (stream == null) {
            throw new PlatformException(PlatformException.Kind.GONE, "no stream " + message.id());
        }
        String markdown = stream.sent + more;
        if (stream.mode == Mode.STREAMING) {
            continueStream(stream, markdown, live);
        } else {
            update(stream.ts, markdown); // Slack refused to stream here: the message is updated instead
            stream.sent = markdown;
        }
        if (!live) {
            streams.remove(stream.ts);
        }
    }

    private void open(Stream stream, String markdown, boolean live) {
        if (!live) {
            stream.ts = SlackCalls.call("chat.postMessage", () -> client.chatPostMessage(r -> r
                    .channel(channel).threadTs(threadTs).markdownText(markdown))).getTs();
            stream.mode = Mode.UPDATING;
            stream.sent = markdown;
            return;
        }
        if (!refused) {
            try {
                stream.ts = SlackCalls.call("chat.startStream", () -> client.chatStartStream(r -> r
                        .channel(channel).threadTs(threadTs).markdownText(markdown)
                        .recipientUserId(recipientUser).recipientTeamId(recipientTeam))).getTs();
                stream.mode = Mode.STREAMING;
                stream.sent = markdown;
                return;
            } catch (PlatformException e) {
                if (!refusal(e)) {
                    throw e;
                }
                // Slack will not stream here (channel_type_not_supported, an old workspace): the same text
                // goes out as a message that later edits update, so nothing is lost.
                refused = true;
                log.info("Slack refused native streaming in {} ({}); posting and updating instead", channel,
                        SlackCalls.errorCode(e));
            }
        }
        stream.ts = SlackCalls.call("chat.postMessage", () -> client.chatPostMessage(r -> r
                .channel(channel).threadTs(threadTs).markdownText(markdown))).getTs();
        stream.mode = Mode.UPDATING;
        stream.sent = markdown;
    }

    /** An answer Slack gives when it does not offer streaming here, as opposed to a failure of this call. */
    private static boolean refusal(PlatformException e) {
        return e.kind() == PlatformException.Kind.REJECTED || e.kind() == PlatformException.Kind.FORBIDDEN
                && !"not_in_channel".equals(SlackCalls.errorCode(e));
    }

    private void continueStream(Stream stream, String markdown, boolean live) {
        if (markdown.startsWith(stream.sent)) {
            String suffix = markdown.substring(stream.sent.length());
            if (live) {
                if (!suffix.isEmpty()) {
                    try {
                        SlackCalls.call("chat.appendStream", () -> client.chatAppendStream(r -> r
                                .channel(channel).ts(stream.ts).markdownText(suffix)));
                    } catch (PlatformException e) {
                        if (!refusal(e)) {
                            throw e;
                        }
                        rewrite(stream, markdown); // the stream took no more: the message itself still can
                        return;
                    }
                }
            } else {
                SlackCalls.call("chat.stopStream", () -> client.chatStopStream(r -> r
                        .channel(channel).ts(stream.ts).markdownText(suffix.isEmpty() ? null : suffix)));
            }
            stream.sent = markdown;
            return;
        }
        // The text was rewritten, not extended: a stream cannot take that back, an update can.
        rewrite(stream, markdown);
    }

    private void rewrite(Stream stream, String markdown) {
        try {
            SlackCalls.call("chat.stopStream", () -> client.chatStopStream(r -> r.channel(channel).ts(stream.ts)));
        } catch (PlatformException e) {
            if (e.kind() == PlatformException.Kind.GONE) {
                throw e;
            }
            log.debug("chat.stopStream before an update failed: {}", e.getMessage()); // the update decides
        }
        stream.mode = Mode.UPDATING;
        update(stream.ts, markdown);
        stream.sent = markdown;
    }

    private void update(String ts, String markdown) {
        SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts).markdownText(markdown)));
    }

    /**
     * The placeholder, a tool's progress and {@code streaming.mode: final}'s wait show in the thread's status
     * line: the stream itself starts with the answer's first words.
     */
    @Override
    public boolean placeholderAsStatus() {
        return true;
    }

    @Override
    public void showStatus(String status) {
        pendingStatus = CompletableFuture.runAsync(() -> setThreadStatus(status), executor);
    }

    /** A post waits for a status call still under way, so Slack sees the status before the answer. */
    private void afterStatus() {
        try {
            pendingStatus.join();
        } catch (RuntimeException e) {
            // setThreadStatus logs its own failure; the answer goes on without a status.
        }
    }

    private void setThreadStatus(String status) {
        try {
            SlackCalls.call("assistant.threads.setStatus", () -> client.assistantThreadsSetStatus(r -> r
                    .channelId(channel).threadTs(threadTs).status(status)));
        } catch (RuntimeException e) {
            // A status is decoration: the answer goes on without it.
            log.debug("assistant.threads.setStatus failed: {}", e.getMessage());
        }
    }

    /** Slack's Markdown takes a plain link target: {@code ](&lt;uri&gt;)} becomes {@code ](uri)}. */
    static String plainLinkTargets(String escaped) {
        return BRACKETED_TARGET.matcher(escaped).replaceAll("]($1)");
    }

    private String withoutCursor(String text) {
        String stripped = !cursor.isEmpty() && text.endsWith(cursor)
                ? text.substring(0, text.length() - cursor.length()) : text;
        return stripped.stripTrailing();
    }

    @Override
    public int maxLength() {
        return ChatUpdateSink.MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofMillis(500);
    }

    @Override
    public TextRenderer renderer() {
        return ESCAPE_ONLY;
    }

    @Override
    public String rateLimitKey() {
        return rateLimitKey;
    }
}
