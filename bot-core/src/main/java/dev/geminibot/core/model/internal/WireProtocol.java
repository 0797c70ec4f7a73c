package dev.geminibot.core.model.internal;

import dev.geminibot.core.model.ChatRequest;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * What differs between the wire formats one model client speaks (Gemini's native API, OpenAI-compatible
 * chat completions): how a request is built and how its streamed payloads are decoded. Everything else
 * (HTTP, SSE, retries, timeouts, failures) is shared. Implementations are immutable and thread-safe.
 */
public interface WireProtocol {

    /** The endpoint the requests go to (shown in descriptions; never carries the key). */
    HttpUrl url();

    /** The HTTP request for one answer, with the key in a header. */
    Request request(ChatRequest chat);

    /** A fresh decoder for one HTTP attempt's payloads. */
    StreamDecoder newDecoder();
}
