package dev.geminibot.config;

/** Which HTTP protocol the model endpoint speaks. */
public enum WireFormat {
    /** Gemini's own {@code streamGenerateContent?alt=sse}. */
    GEMINI,
    /** OpenAI-compatible {@code /chat/completions} with {@code stream: true}. */
    OPENAI
}
