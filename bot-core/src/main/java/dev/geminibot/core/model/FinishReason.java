package dev.geminibot.core.model;

import java.util.Locale;

/** Why the model stopped writing. The names follow Gemini's {@code finishReason}. */
public enum FinishReason {
    /** The answer is complete. */
    STOP(true),
    /** Cut at the output token limit; what was written is kept. */
    MAX_TOKENS(true),
    SAFETY(false),
    RECITATION(false),
    PROHIBITED_CONTENT(false),
    BLOCKLIST(false),
    SPII(false),
    /** The prompt itself was refused ({@code promptFeedback.blockReason}); no answer was written. */
    PROMPT_BLOCKED(false),
    /** Anything else, including reasons this version does not know. */
    OTHER(false);

    private final boolean normal;

    FinishReason(boolean normal) {
        this.normal = normal;
    }

    /** True for an answer that ended as the model intended ({@link #STOP}) or by length. */
    public boolean normal() {
        return normal;
    }

    /**
     * The words to keep beside {@code reason} in {@link Finished#detail()}: the server's finish message,
     * and for {@link #OTHER} the name exactly as the server sent it ({@code "MALFORMED_FUNCTION_CALL"}),
     * which {@link #fromWire} cannot keep. Null when there is nothing to add.
     */
    public static String detail(FinishReason reason, String wireName, String finishMessage) {
        boolean message = finishMessage != null && !finishMessage.isBlank();
        if (reason != OTHER || wireName == null) {
            return message ? finishMessage : null;
        }
        return message ? wireName + ": " + finishMessage : wireName;
    }

    /** Maps a wire name ({@code "STOP"}, {@code "stop"}, {@code "length"}, …); unknown or null is {@link #OTHER}. */
    public static FinishReason fromWire(String name) {
        if (name == null) {
            return OTHER;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "STOP", "END_TURN" -> STOP;
            case "MAX_TOKENS", "LENGTH" -> MAX_TOKENS;
            case "CONTENT_FILTER" -> SAFETY;
            case "IMAGE_SAFETY" -> SAFETY;
            default -> {
                try {
                    yield valueOf(upper);
                } catch (IllegalArgumentException unknown) {
                    yield OTHER;
                }
            }
        };
    }
}
