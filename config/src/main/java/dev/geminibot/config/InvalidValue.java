package dev.geminibot.config;

import java.util.function.UnaryOperator;

/**
 * One value that does not parse. It keeps the rejected value apart from the explanation so that
 * {@link Problems} can mask secrets in the value before shortening it for the report (shortening
 * first would leave a secret's prefix that no longer matches the secret).
 */
final class InvalidValue extends Exception {
    private final String prefix;
    private final String value;
    private final String explanation;

    /** @param value the rejected text, quoted in the report; {@code null} when it should not be shown */
    InvalidValue(String value, String explanation) {
        this("", value, explanation);
    }

    InvalidValue(String explanation) {
        this("", null, explanation);
    }

    private InvalidValue(String prefix, String value, String explanation) {
        super(explanation, null, false, false); // a user error, not a bug: no stack trace
        this.prefix = prefix;
        this.value = value;
        this.explanation = explanation;
    }

    /** The same problem, located inside a list: {@code item 2: 'x' is not …}. */
    InvalidValue inItem(int position) {
        return new InvalidValue(prefix + "item " + position + ": ", value, explanation);
    }

    /** The report text: the value (redacted, then shortened, then quoted) followed by the explanation. */
    String render(UnaryOperator<String> redact) {
        if (value == null) {
            return prefix + explanation;
        }
        String shown = redact.apply(value).replace("\n", "\\n");
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return prefix + "'" + shown + "' " + explanation;
    }
}
