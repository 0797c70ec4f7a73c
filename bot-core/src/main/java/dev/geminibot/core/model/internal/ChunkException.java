package dev.geminibot.core.model.internal;

/**
 * A streamed chunk that is not an answer: either unreadable ({@link #error()} is null) or an
 * {@code {"error": {...}}} object the server sent inside a 200 stream.
 */
public final class ChunkException extends Exception {
    private final transient ErrorBody error;

    private ChunkException(String message, ErrorBody error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The chunk could not be read; {@code cause} says why (never carries the chunk itself). */
    public static ChunkException malformed(String what, Throwable cause) {
        return new ChunkException(what, null, cause);
    }

    /** The server reported {@code error} in the middle of a stream. */
    public static ChunkException serverError(ErrorBody error) {
        return new ChunkException("error object inside the stream", error, null);
    }

    /** The server's error, or null when the chunk was malformed. */
    public ErrorBody error() {
        return error;
    }
}
