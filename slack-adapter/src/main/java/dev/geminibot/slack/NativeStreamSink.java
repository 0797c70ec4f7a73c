package dev.geminibot.slack;

import dev.geminibot.core.engine.ToolProgress;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.TextRenderer;
import com.slack.api.methods.MethodsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an answer in an assistant thread with Slack's native streaming: {@code chat.startStream},
 * then {@code chat.appendStream} with only the new suffix of each text, then {@code chat.stopStream}.
 *
 * <p>The engine hands a sink whole texts; a native stream can only grow. So an edit whose text
 * extends what was sent appends the difference, and one that does not (Markdown healing closed a
 * fence that now continues) stops the stream and falls back to {@code chat.update} for that message.
 * The cursor is dropped (Slack shows its own streaming state), and the "Thinking…" placeholder becomes
 * {@code assistant.threads.setStatus} instead of a message, so the answer's first words start the stream.
 * Text is Markdown ({@code markdown_text}), which Slack renders itself: the renderer only escapes
 * {@code & < >}, so no control sequence such as {@code <!channel>} can form.
 */
final class NativeStreamSink implements MessageSink {

    private static final Logger log = LoggerFactory.getLogger(NativeStreamSink.class);
    private static final TextRenderer ESCAPE_ONLY = text -> plainLinkTargets(MrkdwnRenderer.escape(text));
    /** {@code [title](<uri>)} (the Sources line's form, so Discord does not unfurl) after escaping. */
    private static final java.util.regex.Pattern BRACKETED_TARGET =
            java.util.regex.Pattern.compile("\\]\\(&lt;(https?://[^\\s()]*?)&gt;\\)");
    private static final String PENDING = "pending:";

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
    private final AtomicLong pendingIds = new AtomicLong();

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
            String markdown = withoutCursor(text);
            if (live && (markdown.isBlank() || markdown.equals(thinkingText) || ToolProgress.isStatus(markdown))) {
                showStatus(markdown.isBlank() ? thinkingText : markdown);
                String id = PENDING + pendingIds.incrementAndGet();
                streams.put(id, new Stream(Mode.PENDING, null));
                return new MessageRef(id);
            }
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
                case PENDING -> {
                    if (live && ToolProgress.isStatus(markdown)) {
                        showStatus(markdown); // "🔎 Searching…" replaces "Thinking…" in the status line
                        return;
                    }
                    if (markdown.isBlank() && live) {
                        return;
                    }
                    open(stream, markdown, live);
                    streams.put(stream.ts, stream);
                }
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

    private void open(Stream stream, String markdown, boolean live) {
        if (!live) {
            stream.ts = SlackCalls.call("chat.postMessage", () -> client.chatPostMessage(r -> r
                    .channel(channel).threadTs(threadTs).markdownText(markdown))).getTs();
            stream.mode = Mode.UPDATING;
            stream.sent = markdown;
            return;
        }
        stream.ts = SlackCalls.call("chat.startStream", () -> client.chatStartStream(r -> r
                .channel(channel).threadTs(threadTs).markdownText(markdown)
                .recipientUserId(recipientUser).recipientTeamId(recipientTeam))).getTs();
        stream.mode = Mode.STREAMING;
        stream.sent = markdown;
    }

    private void continueStream(Stream stream, String markdown, boolean live) {
        if (markdown.startsWith(stream.sent)) {
            String suffix = markdown.substring(stream.sent.length());
            if (live) {
                if (!suffix.isEmpty()) {
                    SlackCalls.call("chat.appendStream", () -> client.chatAppendStream(r -> r
                            .channel(channel).ts(stream.ts).markdownText(suffix)));
                }
            } else {
                SlackCalls.call("chat.stopStream", () -> client.chatStopStream(r -> r
                        .channel(channel).ts(stream.ts).markdownText(suffix.isEmpty() ? null : suffix)));
            }
            stream.sent = markdown;
            return;
        }
        // The text was rewritten, not extended: a stream cannot take that back, an update can.
        SlackCalls.call("chat.stopStream", () -> client.chatStopStream(r -> r.channel(channel).ts(stream.ts)));
        stream.mode = Mode.UPDATING;
        update(stream.ts, markdown);
        stream.sent = markdown;
    }

    private void update(String ts, String markdown) {
        SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts).markdownText(markdown)));
    }

    private void showStatus(String status) {
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
