package dev.geminibot.core.media;

import java.util.Map;
import java.util.Objects;

/**
 * A file attached to a message, as the platform describes it, before anything is downloaded. Adapters
 * build it from the event; {@link Attachments} checks and fetches it.
 *
 * @param name     the file's name as the user sees it ({@code chart.png})
 * @param mimeType the type the platform gives, or empty when it gives none (then it is guessed from the
 *                 name, and sniffed from the bytes)
 * @param size     bytes as the platform states them, or -1 when unknown
 * @param url      where to download it, exactly as the platform gives it
 * @param headers  to send with the download (Slack: {@code Authorization: Bearer …}); never logged
 */
public record SharedFile(String name, String mimeType, long size, String url, Map<String, String> headers) {
    public SharedFile {
        name = name == null || name.isBlank() ? "file" : name;
        mimeType = mimeType == null ? "" : mimeType;
        Objects.requireNonNull(url, "url");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Headers hold credentials: never shown. */
    @Override
    public String toString() {
        return "SharedFile[" + name + ", " + mimeType + ", " + size + " bytes]";
    }
}
