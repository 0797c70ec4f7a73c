package dev.geminibot.core.reply;

/**
 * Turns the model's Markdown into the text a platform shows. The streaming reply measures parts in
 * rendered characters, so a renderer that escapes or converts (Slack mrkdwn) never pushes a message
 * over the platform's limit.
 */
@FunctionalInterface
public interface TextRenderer {

    /** Discord, terminal: Markdown as it is. */
    TextRenderer MARKDOWN = markdown -> markdown;

    /** Returns the platform text for well-formed Markdown. Pure and thread-safe. */
    String render(String markdown);
}
