package dev.geminibot.core.model.gemini;

import dev.geminibot.core.model.internal.StreamDecoder;

/**
 * Lets the benchmarks time the Gemini decoder on its own. It lives in bot-core's package (the bench jar
 * is a plain classpath, so the package is simply shared) because the decoder is rightly package-private;
 * nothing in bot-core depends on it.
 */
public final class BenchDecoders {
    private BenchDecoders() {
    }

    public static StreamDecoder gemini() {
        return new GeminiDecoder();
    }
}
