package dev.geminibot.slack;

import com.slack.api.model.File;
import dev.geminibot.config.Secret;
import dev.geminibot.core.media.FileMentions;
import dev.geminibot.core.media.SharedFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message's files as files for the engine. Slack serves them from {@code url_private_download} only to
 * a request with the bot token ({@code Authorization: Bearer xoxb-…}, scope {@code files:read}); without
 * it, Slack answers with its sign-in page, which the download refuses as not being the file.
 */
final class SlackFiles {
    private SlackFiles() {
    }

    static List<SharedFile> of(List<File> files, Optional<Secret> botToken) {
        if (files == null || files.isEmpty()) {
            return List.of();
        }
        Map<String, String> auth = botToken.map(t -> Map.of("Authorization", "Bearer " + t.reveal())).orElse(Map.of());
        List<SharedFile> shared = new ArrayList<>();
        for (File file : files) {
            String url = file.getUrlPrivateDownload() != null ? file.getUrlPrivateDownload() : file.getUrlPrivate();
            if (url == null || "tombstone".equals(file.getMode())) {
                continue; // deleted, or hidden by the workspace's plan: nothing to fetch
            }
            shared.add(new SharedFile(name(file), file.getMimetype(), file.getSize() == null ? -1 : file.getSize(),
                    url, auth));
        }
        return shared;
    }

    /** The text as history shows it: with a mention of each file, as the engine remembers it. */
    static String withMentions(String text, List<File> files) {
        if (files == null || files.isEmpty()) {
            return text;
        }
        List<SharedFile> named = files.stream()
                .map(f -> new SharedFile(name(f), f.getMimetype(), -1, "", null)).toList();
        return FileMentions.withMentions(text, named);
    }

    private static String name(File file) {
        return file.getName() != null ? file.getName() : file.getTitle();
    }
}
