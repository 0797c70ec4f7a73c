package dev.geminibot.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people write them: {@code 500ms}, {@code 1s}, {@code 1.5s}, {@code 2m},
 * {@code 1h}, {@code 1d}, combinations such as {@code 1m30s}, and ISO-8601 ({@code PT1S}).
 * A bare number is refused: whether {@code 250} meant milliseconds or seconds is a guess, and a
 * wrong guess is a bot that edits 1000 times too often or hangs for four minutes.
 */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");
    private static final Pattern BARE_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private Durations() {
    }

    static Duration parse(String text) throws InvalidValue {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (BARE_NUMBER.matcher(s).matches()) {
            throw new InvalidValue(text, "has no unit (write e.g. " + s + "ms or " + s + "s)");
        }
        if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        boolean negative = s.startsWith("-");
        String body = negative ? s.substring(1) : s;
        if (!WHOLE.matcher(body).matches()) {
            throw notADuration(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(body);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(nanosPer(part.group(2))));
        }
        try {
            Duration d = Duration.ofNanos(nanos.longValueExact());
            return negative ? d.negated() : d;
        } catch (ArithmeticException e) {
            throw new InvalidValue(text, "is too long, or has a fraction of a nanosecond");
        }
    }

    private static BigDecimal nanosPer(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        });
    }

    private static InvalidValue notADuration(String text) {
        return new InvalidValue(text, "is not a duration (use e.g. 500ms, 1s, 2m)");
    }
}
