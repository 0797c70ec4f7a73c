package dev.geminibot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of value a key takes, each with its parser. Every parser reads text (from a YAML
 * scalar or an environment variable alike) and returns the Java value the record component has,
 * or throws {@link InvalidValue} with a message that quotes the value and says how to write it.
 */
enum ValueType {
    TEXT(false) {
        @Override
        Object parseOne(String text) {
            return text;
        }
    },
    NON_BLANK_TEXT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            if (text.isBlank()) {
                throw new InvalidValue("must not be empty");
            }
            return text.strip();
        }
    },
    BOOLEAN(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new InvalidValue(text, "is not a boolean (use true or false)");
            };
        }
    },
    POSITIVE_INT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return (int) wholeNumber(text, 1, Integer.MAX_VALUE);
        }
    },
    NON_NEGATIVE_INT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return (int) wholeNumber(text, 0, Integer.MAX_VALUE);
        }
    },
    POSITIVE_LONG(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return wholeNumber(text, 1, Long.MAX_VALUE);
        }
    },
    /** Gemini's thinking budget: 0 turns thinking off, -1 lets the model decide. */
    THINKING_BUDGET(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return (int) wholeNumber(text, -1, Integer.MAX_VALUE);
        }
    },
    PORT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return (int) wholeNumber(text, 1, 65_535);
        }
    },
    /** A listener port, or 0 for no listener at all. */
    PORT_OR_OFF(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return (int) wholeNumber(text, 0, 65_535);
        }
    },
    LOG_FORMAT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return oneOf(text, LogFormat.class);
        }
    },
    /** Gemini accepts 0.0 to 2.0. */
    TEMPERATURE(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            double value;
            try {
                value = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new InvalidValue(text, "is not a number");
            }
            if (!(value >= 0.0 && value <= 2.0)) {
                throw new InvalidValue(text, "is out of range (0 to 2)");
            }
            return value;
        }
    },
    POSITIVE_DURATION(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new InvalidValue(text, "must be more than zero");
            }
            return d;
        }
    },
    /** An endpoint root, kept as written: the client appends its own paths. */
    HTTP_URL(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return absoluteUrl(text, Set.of("http", "https"));
        }
    },
    /**
     * A base that relative paths are resolved against, so it must end with {@code /}: without it,
     * {@code https://host/api/v10} + {@code users/@me} would lose the {@code v10}.
     */
    HTTP_BASE_URL(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            URI uri = absoluteUrl(text, Set.of("http", "https"));
            String s = uri.toString();
            return s.endsWith("/") ? uri : URI.create(s + "/");
        }
    },
    GATEWAY_URL(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return absoluteUrl(text, Set.of("ws", "wss", "http", "https"));
        }
    },
    URL_PATH(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            String s = text.strip();
            if (!s.startsWith("/") || s.contains("?") || s.contains("#") || s.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidValue(text, "is not a URL path (write e.g. /slack/events)");
            }
            return s;
        }
    },
    WIRE_FORMAT(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return oneOf(text, WireFormat.class);
        }
    },
    SLACK_MODE(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return oneOf(text, SlackMode.class);
        }
    },
    STREAMING_MODE(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return oneOf(text, StreamingMode.class);
        }
    },
    /** {@code 3} (one shard) or {@code 0-3} (inclusive); checked against shards later. */
    SHARD_RANGE(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            ShardRange range = ShardRange.parseOrNull(text);
            if (range == null) {
                throw new InvalidValue(text, "is not a shard range (write e.g. 0-3, or 2)");
            }
            return range;
        }
    },
    STATE_BACKEND(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return oneOf(text, StateBackend.class);
        }
    },
    /** A list of non-blank texts (model names, suggested prompts), each stripped. */
    NAMES(true) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            if (text.isBlank()) {
                throw new InvalidValue("must not be empty");
            }
            return text.strip();
        }
    },
    /** A byte count or a size with KB, MB or GB ({@code 20MB}). */
    BYTE_SIZE(false) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return ByteSizes.parse(text);
        }
    },
    /** {@code gemini.tools}: googleSearch, urlContext, codeExecution. */
    GEMINI_TOOLS(true) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            return GeminiTool.byName(text).orElseThrow(() -> new InvalidValue(text,
                    "is not a Gemini tool (one of: googleSearch, urlContext, codeExecution)"));
        }
    },
    /** Discord ids are snowflakes: decimal numbers. */
    DISCORD_IDS(true) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            String s = text.strip();
            if (!s.matches("\\d{1,20}")) {
                throw new InvalidValue(text, "is not a Discord id (digits only; copy it with Developer Mode on)");
            }
            return s;
        }
    },
    /** Slack ids (C…, G…, D…, U…, W…): capitals and digits, never a {@code #name}. */
    SLACK_IDS(true) {
        @Override
        Object parseOne(String text) throws InvalidValue {
            String s = text.strip();
            if (!s.matches("[A-Z][A-Z0-9]{2,}")) {
                throw new InvalidValue(text, "is not a Slack id (e.g. C0123456789 or U0123456789, not a #name)");
            }
            return s;
        }
    };

    private final boolean list;

    ValueType(boolean list) {
        this.list = list;
    }

    /** Whether the value is a list: a YAML sequence, or comma-separated text. */
    boolean isList() {
        return list;
    }

    /** Parses one scalar; for a list type, one item of the list. */
    abstract Object parseOne(String text) throws InvalidValue;

    /**
     * Parses comma-separated text into a list, the way list values arrive from the environment.
     * Empty items are skipped so that a trailing comma is harmless.
     */
    List<Object> parseCommaSeparated(String text) throws InvalidValue {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item);
            }
        }
        return parseItems(items);
    }

    /** Parses every item; the first bad one is reported with its position. */
    List<Object> parseItems(List<String> items) throws InvalidValue {
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(parseOne(items.get(i)));
            } catch (InvalidValue e) {
                throw e.inItem(i + 1);
            }
        }
        return List.copyOf(out);
    }

    private static long wholeNumber(String text, long min, long max) throws InvalidValue {
        String s = text.strip();
        // YAML 1.1 and Java both allow 64_000_000; people copy such numbers between them.
        if (s.matches("[+-]?\\d+(_\\d+)*")) {
            s = s.replace("_", "");
        }
        long value;
        try {
            value = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidValue(text, "is not a whole number");
        }
        boolean bounded = max != Integer.MAX_VALUE && max != Long.MAX_VALUE;
        if (bounded && (value < min || value > max)) {
            throw new InvalidValue(text, "must be from " + min + " to " + max);
        }
        if (value < min) {
            throw new InvalidValue(text, min == 1 ? "must be more than zero" : "must be at least " + min);
        }
        if (value > max) {
            throw new InvalidValue(text, "is too large (at most " + max + ")");
        }
        return value;
    }

    private static URI absoluteUrl(String text, Set<String> schemes) throws InvalidValue {
        String s = text.strip();
        String allowed = schemes.stream().sorted().map(x -> x + "://").reduce((a, b) -> a + ", " + b).orElseThrow();
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new InvalidValue(text, "is not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getRawUserInfo() != null) {
            // Not quoted: the user:password part is a credential.
            throw new InvalidValue("must not contain a user:password part (credentials come from the environment)");
        }
        if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidValue(text, "is not an absolute URL (must start with one of "
                    + allowed + " and name a host)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidValue(text, "must not have a query or fragment");
        }
        return uri;
    }

    private static <E extends Enum<E>> E oneOf(String text, Class<E> type) throws InvalidValue {
        String s = text.strip();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new InvalidValue(text, "is not one of: " + String.join(", ", allowed));
    }
}
