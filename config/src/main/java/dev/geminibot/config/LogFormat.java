package dev.geminibot.config;

/** How log records are written ({@code logging.format}). */
public enum LogFormat {
    /** One human-readable line per record on stderr (the default). */
    TEXT,
    /** One JSON object per line on stdout, for log collectors. */
    JSON
}
