package dev.geminibot.slack;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.regex.Pattern;

/** Reading what users wrote: Slack sends text with entities escaped and mentions as {@code <@U…>}. */
final class SlackText {

    private SlackText() {
    }

    /** The question without mentions of the bot, with {@code &amp; &lt; &gt;} decoded. */
    static String fromUser(String text, String botUserId) {
        String withoutMention = botUserId == null ? text
                : text.replaceAll("<@" + Pattern.quote(botUserId) + "(\\|[^>]*)?>", "");
        return withoutMention.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip();
    }

    /** A Slack {@code ts} ("1700000000.000100") as an instant; now for a malformed one. */
    static Instant instant(String ts) {
        try {
            BigDecimal seconds = new BigDecimal(ts);
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        } catch (RuntimeException malformed) {
            return Instant.now();
        }
    }
}
