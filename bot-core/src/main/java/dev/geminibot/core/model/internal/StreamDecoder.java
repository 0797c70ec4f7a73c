package dev.geminibot.core.model.internal;

import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.StreamEvent;
import java.util.List;

/**
 * Turns the {@code data:} payloads of one streamed response into {@link StreamEvent}s. One decoder per
 * HTTP attempt, used by one thread at a time; it keeps the state that spans chunks (finish reason, usage).
 */
public interface StreamDecoder {

    /**
     * Decodes one SSE {@code data} payload, its UTF-8 bytes as sent, appending its events (never a
     * {@link Finished}) to {@code out}.
     *
     * @return false when this payload ends the stream (OpenAI's {@code [DONE]}); true to read on
     * @throws ChunkException when the payload is not valid JSON, or is an error object from the server
     */
    boolean decode(byte[] data, List<StreamEvent> out) throws ChunkException;

    /**
     * The last event, once the server has ended the stream cleanly: the finish reason and usage seen so
     * far, or {@code null} when the server never said why the answer finished (the stream then reports an
     * empty answer, or an answer that may be cut). A format with an explicit end marker (OpenAI's
     * {@code [DONE]}) may count that marker as {@code STOP}.
     */
    Finished finish();

    /** True once the server has said why the answer finished (a finish reason, a blocked prompt). */
    boolean complete();
}
