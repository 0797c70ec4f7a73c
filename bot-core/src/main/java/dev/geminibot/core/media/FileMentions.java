package dev.geminibot.core.media;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The short note a turn keeps of its files once their bytes are gone ({@code [image: chart.png]}), the
 * same whether the turn is remembered or rebuilt from the platform, so the model can still refer to them.
 */
public final class FileMentions {
    private FileMentions() {
    }

    /** {@code [image: chart.png]}, from the file's name and the type the platform gives (or its name suggests). */
    public static String of(String name, String mimeType) {
        SharedFile file = new SharedFile(name, mimeType, -1, "", null);
        return "[" + FileTypes.kind(FileTypes.declared(file)) + ": " + file.name().replace("]", ")") + "]";
    }

    /** {@code text}, then one mention per file on a line of its own; the text alone when there are none. */
    public static String withMentions(String text, List<SharedFile> files) {
        if (files.isEmpty()) {
            return text;
        }
        String mentions = files.stream().map(f -> of(f.name(), f.mimeType())).collect(Collectors.joining("\n"));
        return text.isBlank() ? mentions : text + "\n" + mentions;
    }
}
