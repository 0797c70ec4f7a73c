package dev.geminibot.core.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The useful part of an error object, Google's {@code {"error":{"code","message","status","details"}}}
 * or OpenAI's {@code {"error":{"message","type","code"}}}.
 *
 * @param code       the numeric code the body names (Google: the HTTP status), 0 when absent
 * @param status     Google's canonical status ({@code RESOURCE_EXHAUSTED}) or OpenAI's type; may be null
 * @param message    the server's words, unredacted (redact before showing); may be null
 * @param reasons    {@code ErrorInfo.reason}s ({@code API_KEY_INVALID}) and OpenAI's textual code
 * @param retryDelay {@code google.rpc.RetryInfo.retryDelay}, or null
 */
public record ErrorBody(int code, String status, String message, List<String> reasons, Duration retryDelay) {

    public static final ErrorBody EMPTY = new ErrorBody(0, null, null, List.of(), null);

    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
    private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

    public ErrorBody {
        reasons = List.copyOf(reasons);
    }

    /** Reads an error response body; anything that is not an error object gives {@link #EMPTY}. */
    public static ErrorBody parse(String body) {
        if (body == null || body.isBlank()) {
            return EMPTY;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            // Google's OpenAI-compatible endpoint wraps its errors in a one-element array.
            if (root != null && root.isArray() && !root.isEmpty()) {
                root = root.get(0);
            }
            JsonNode error = root == null ? null : root.get("error");
            return error != null && error.isObject() ? of(error) : EMPTY;
        } catch (java.io.IOException notJson) {
            return EMPTY;
        }
    }

    /** Reads the value of an {@code "error"} member. */
    public static ErrorBody of(JsonNode error) {
        List<String> reasons = new ArrayList<>();
        Duration retryDelay = null;
        for (JsonNode detail : error.path("details")) {
            String type = Json.textOf(detail, "@type");
            if (ERROR_INFO.equals(type) && Json.textOf(detail, "reason") != null) {
                reasons.add(Json.textOf(detail, "reason"));
            } else if (RETRY_INFO.equals(type)) {
                retryDelay = parseProtoDuration(Json.textOf(detail, "retryDelay"));
            }
        }
        JsonNode code = error.path("code");
        if (code.isTextual()) {
            reasons.add(code.textValue());
        }
        String status = Json.textOf(error, "status");
        if (status == null) {
            status = Json.textOf(error, "type");
        }
        return new ErrorBody(code.isNumber() ? code.intValue() : 0, status, Json.textOf(error, "message"),
                reasons, retryDelay);
    }

    /** True when a detail names {@code reason} ({@code API_KEY_INVALID}). */
    public boolean hasReason(String reason) {
        return reasons.stream().anyMatch(reason::equalsIgnoreCase);
    }

    /**
     * The HTTP status this error stands for: {@code code} when it is one, else derived from Google's
     * canonical {@code status}, as an error inside a 200 stream may carry only that. 0 when unknown.
     */
    public int httpStatus() {
        if (code >= 400 && code <= 599) {
            return code;
        }
        if (status == null) {
            return 0;
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "CANCELLED" -> 499;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> 500;
            default -> 0;
        };
    }

    /** Parses a protobuf JSON duration ({@code "57s"}, {@code "1.5s"}); null when absent or unreadable. */
    static Duration parseProtoDuration(String text) {
        if (text == null || !text.endsWith("s")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1).strip());
            if (seconds.signum() < 0) {
                return null;
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException unreadable) {
            return null;
        }
    }
}
