package dev.geminibot.core.media;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Gemini reads inline, and how to tell a file's type when the platform does not say: by its name
 * before the download, by its first bytes after. Gemini takes PNG, JPEG, WEBP, HEIC, HEIF, PDF, audio,
 * video and text inline; it refuses the rest (GIF, archives, executables, office files), so those are
 * skipped before they cost a download.
 */
public final class FileTypes {
    private static final Set<String> IMAGES = Set.of("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif");
    /** Text types Gemini's docs list; other text goes as text/plain, which it always reads. */
    private static final Set<String> NAMED_TEXT = Set.of("text/plain", "text/html", "text/css", "text/javascript",
            "text/x-typescript", "text/csv", "text/markdown", "text/x-python", "text/xml", "text/rtf");
    /** Code and data files that platforms label application/*, but that are text to read. */
    private static final Set<String> TEXT_LIKE = Set.of("application/json", "application/xml", "application/javascript",
            "application/x-yaml", "application/yaml", "application/x-sh", "application/sql", "application/toml");
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"), Map.entry("heif", "image/heif"),
            Map.entry("gif", "image/gif"), Map.entry("pdf", "application/pdf"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("flac", "audio/flac"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("webm", "video/webm"),
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("html", "text/html"), Map.entry("css", "text/css"), Map.entry("js", "text/javascript"),
            Map.entry("ts", "text/x-typescript"), Map.entry("py", "text/x-python"), Map.entry("xml", "text/xml"),
            Map.entry("java", "text/plain"), Map.entry("kt", "text/plain"), Map.entry("go", "text/plain"),
            Map.entry("rs", "text/plain"), Map.entry("c", "text/plain"), Map.entry("h", "text/plain"),
            Map.entry("cpp", "text/plain"), Map.entry("sh", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("json", "application/json"), Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"), Map.entry("sql", "application/sql"), Map.entry("toml", "application/toml"),
            Map.entry("exe", "application/x-msdownload"), Map.entry("zip", "application/zip"));

    private FileTypes() {
    }

    /** {@code text/plain; charset=utf-8} -> {@code text/plain}; empty stays empty. */
    public static String bare(String mimeType) {
        int semicolon = mimeType.indexOf(';');
        return (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The type to judge a file by before downloading it: the platform's, else one from the name, else empty. */
    static String declared(SharedFile file) {
        String type = bare(file.mimeType());
        if (!type.isEmpty() && !type.equals("application/octet-stream") && !type.equals("binary/octet-stream")) {
            return type;
        }
        int dot = file.name().lastIndexOf('.');
        String extension = dot < 0 ? "" : file.name().substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, "");
    }

    /** Whether Gemini reads this (bare) type inline. */
    public static boolean readable(String type) {
        return IMAGES.contains(type) || type.equals("application/pdf") || type.startsWith("audio/")
                || type.startsWith("video/") || type.startsWith("text/") || TEXT_LIKE.contains(type);
    }

    /** The type to send: images, PDF, audio and video as they are; text Gemini does not name as text/plain. */
    static String wireType(String type) {
        if (type.startsWith("text/") || TEXT_LIKE.contains(type)) {
            return NAMED_TEXT.contains(type) ? type : "text/plain";
        }
        return type;
    }

    /** The type the bytes show, or empty when they show none this knows. */
    static String sniff(byte[] bytes) {
        if (starts(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(bytes, 0, 'R', 'I', 'F', 'F') && starts(bytes, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (starts(bytes, 0, 'R', 'I', 'F', 'F') && starts(bytes, 8, 'W', 'A', 'V', 'E')) {
            return "audio/wav";
        }
        if (starts(bytes, 0, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (starts(bytes, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (starts(bytes, 0, 'O', 'g', 'g', 'S')) {
            return "audio/ogg";
        }
        if (starts(bytes, 0, 'I', 'D', '3')) {
            return "audio/mpeg";
        }
        if (starts(bytes, 4, 'f', 't', 'y', 'p')) {
            String brand = bytes.length >= 12 ? new String(bytes, 8, 4, StandardCharsets.ISO_8859_1) : "";
            return switch (brand) {
                case "heic", "heix", "heim", "heis" -> "image/heic";
                case "mif1", "msf1" -> "image/heif";
                case "M4A " -> "audio/mp4";
                case "qt  " -> "video/quicktime";
                default -> "video/mp4";
            };
        }
        if (looksLikeHtml(bytes)) {
            return "text/html";
        }
        return "";
    }

    /** A web page, e.g. Slack's sign-in page served where a file was expected. */
    static boolean looksLikeHtml(byte[] bytes) {
        int length = Math.min(bytes.length, 512);
        String head = new String(bytes, 0, length, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("\ufeff")) {
            head = head.substring(1);
        }
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head");
    }

    /** What a mention calls the file: image, PDF, audio, video, text, or file. */
    static String kind(String type) {
        if (type.startsWith("image/")) {
            return "image";
        }
        if (type.equals("application/pdf")) {
            return "PDF";
        }
        if (type.startsWith("audio/")) {
            return "audio";
        }
        if (type.startsWith("video/")) {
            return "video";
        }
        if (type.startsWith("text/") || TEXT_LIKE.contains(type)) {
            return "text";
        }
        return "file";
    }

    private static boolean starts(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
