package dev.geminibot.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them: {@code 1048576}, {@code 4KB}, {@code 20MB}, {@code 1GB} (binary units, as Gemini's docs use). */
public final class ByteSizes {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*([KMG]?B)?", Pattern.CASE_INSENSITIVE);

    private ByteSizes() {
    }

    static long parse(String text) throws InvalidValue {
        Matcher m = FORM.matcher(text.strip().replace("_", ""));
        if (!m.matches()) {
            throw new InvalidValue(text, "is not a size (write a byte count or e.g. 4KB, 20MB, 1GB)");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long bytes = switch (unit) {
            case "KB" -> number << 10;
            case "MB" -> number << 20;
            case "GB" -> number << 30;
            default -> number;
        };
        if (bytes <= 0) {
            throw new InvalidValue(text, "must be more than zero");
        }
        return bytes;
    }

    /** For people: {@code 48 MB}, {@code 512 KB}, {@code 900 bytes}; whole units rounded up so "over the limit" reads true. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GB";
        }
        if (bytes >= 1L << 20) {
            return ceilDiv(bytes, 1L << 20) + " MB";
        }
        if (bytes >= 1L << 10) {
            return ceilDiv(bytes, 1L << 10) + " KB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
