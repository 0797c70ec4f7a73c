/**
 * The HTTP and SSE transport shared by the model clients: one OkHttp call per attempt, retries with
 * backoff before the first event, SSE parsing ({@link dev.geminibot.core.model.internal.SseReader}) on the iterating thread, and the mapping of
 * failures to {@link dev.geminibot.core.model.ModelException}. Not an API: only {@code model.gemini} and
 * {@code model.openai} use it, and it may change with them.
 */
package dev.geminibot.core.model.internal;
