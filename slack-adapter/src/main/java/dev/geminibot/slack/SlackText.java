package dev.geminibot.slack;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what users wrote: Slack sends text with entities escaped and mentions as {@code <@U…>}. */
final class SlackText {

    private SlackText() {
    }

    private static final Pattern USER = Pattern.compile("<@([UW][A-Z0-9]+)(?:\\|[^>]*)?>");
    private static final Pattern CHANNEL = Pattern.compile("<#[CG][A-Z0-9]+\\|([^>]+)>");

    /**
     * The question as the model should read it: mentions of the bot removed, other people's mentions as
     * {@code @Name} (so "what did <@U02> mean?" makes sense), channel links as {@code #name}, and
     * {@code &amp; &lt; &gt;} decoded.
     *
     * @param nameOf a user id's display name (may block: call it off Slack's ack path)
     */
    static String fromUser(String text, String botUserId, Function<String, String> nameOf) {
        String withoutMention = botUserId == null ? text
                : text.replaceAll("<@" + Pattern.quote(botUserId) + "(\\|[^>]*)?>", "");
        String named = USER.matcher(withoutMention)
                .replaceAll(m -> Matcher.quoteReplacement("@" + nameOf.apply(m.group(1))));
        named = CHANNEL.matcher(named).replaceAll(m -> Matcher.quoteReplacement("#" + m.group(1)));
        return named.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip();
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
