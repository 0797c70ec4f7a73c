package dev.geminibot.core.model;

import java.util.Objects;

/**
 * A file the user shared, sent to the model inline ({@code inline_data {mime_type, data}}) with the
 * turn it was attached to. Only the turn being asked carries bytes; remembered turns keep a mention.
 *
 * @param name     the file's name as the user sees it, for logs and mentions
 * @param mimeType what the bytes are, e.g. {@code image/png}
 * @param data     the exact bytes downloaded; not copied, never modified
 */
public record InlineFile(String name, String mimeType, byte[] data) {
    public InlineFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "InlineFile[" + name + ", " + mimeType + ", " + data.length + " bytes]";
    }
}
