package dev.geminibot.core.reply;

import java.time.Duration;
import java.util.List;

/**
 * What one {@link StreamingReply} did, once its final edits have landed or been given up.
 *
 * @param messages        the messages of the answer in order (the "Thinking…" placeholder, if any, is the first)
 * @param posts           post calls started, retries included
 * @param edits           edit calls started, retries included
 * @param rateLimited     calls that failed with {@link PlatformException.Kind#RATE_LIMITED}
 * @param failedCalls     calls that failed for any reason, 429s included
 * @param gone            the platform said a message is gone; nothing more was sent after that
 * @param timeToFirstText from the first non-blank text appended to the moment a call showing text landed;
 *                        null if no text was ever shown
 * @param shownText       the Markdown the messages finally show, parts joined without the fence markers that
 *                        splitting adds and without cursor: normally the whole answer plus the footer line (a
 *                        code block left open is closed before the footer). Where a final edit was given up,
 *                        the text that message last showed. Just the footer or {@code (no answer)} when there
 *                        was no text.
 */
public record ReplyResult(List<MessageRef> messages, int posts, int edits, int rateLimited, int failedCalls,
                          boolean gone, Duration timeToFirstText, String shownText) {

    public ReplyResult {
        messages = List.copyOf(messages);
    }
}
