package dev.geminibot.core.media;

import dev.geminibot.config.ByteSizes;
import dev.geminibot.core.model.InlineFile;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the files attached to a message into what Gemini receives: each one is checked before it costs
 * anything (the platform's stated size against {@code gemini.maxAttachmentBytes} and the request's inline
 * budget, the type against what Gemini reads), then downloaded within bounds. A file that does not make
 * it is named with the reason in a footer line ({@code ⚠ skipped report.exe: not a type Gemini reads}),
 * and the answer comes anyway. Thread-safe; {@link #gather} blocks on downloads (virtual threads).
 */
public final class Attachments {
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
    /** Gemini refuses requests with more inline data than this; files past it go as skipped. */
    static final long GEMINI_INLINE_REQUEST_LIMIT = 20L << 20;

    private final long maxFileBytes;
    private final long requestBudget;
    private final FileDownloader downloader;

    /**
     * @param maxFileBytes {@code gemini.maxAttachmentBytes}
     * @param shared an OkHttp client to share connections with (timeouts are set here)
     */
    public Attachments(long maxFileBytes, OkHttpClient shared) {
        // An operator who raises the per-file limit means their endpoint takes more; never less than Gemini's.
        this(maxFileBytes, Math.max(GEMINI_INLINE_REQUEST_LIMIT, maxFileBytes), new FileDownloader(shared, FileDownloader.TIMEOUT));
    }

    /** With an explicit request budget and downloader: for tests of the limits without megabytes of data. */
    Attachments(long maxFileBytes, long requestBudget, FileDownloader downloader) {
        this.maxFileBytes = maxFileBytes;
        this.requestBudget = requestBudget;
        this.downloader = downloader;
    }

    /** What a message's files became: the parts to send, in order, and a line per file that was not. */
    public record Gathered(List<InlineFile> files, List<String> skipped) {
        public static final Gathered NONE = new Gathered(List.of(), List.of());

        /** The skipped lines as one footer block, or null when every file went. */
        public String footer() {
            return skipped.isEmpty() ? null : String.join("\n", skipped);
        }
    }

    /** Checks and downloads {@code files} in order. Never throws for a bad file; it is skipped instead. */
    public Gathered gather(List<SharedFile> files) {
        if (files.isEmpty()) {
            return Gathered.NONE;
        }
        List<InlineFile> sent = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long used = 0;
        for (SharedFile file : files) {
            try {
                InlineFile inline = fetch(file, requestBudget - used);
                used += inline.data().length;
                sent.add(inline);
            } catch (FileDownloader.Refused refused) {
                LOG.info("attachment {} skipped: {}", file, refused.getMessage());
                skipped.add("⚠ skipped " + file.name() + ": " + refused.getMessage());
            }
        }
        return new Gathered(sent, skipped);
    }

    private InlineFile fetch(SharedFile file, long budgetLeft) throws FileDownloader.Refused {
        String declared = FileTypes.declared(file);
        if (!declared.isEmpty() && !FileTypes.readable(declared)) {
            throw new FileDownloader.Refused("not a type Gemini reads");
        }
        if (file.size() > maxFileBytes) {
            throw new FileDownloader.Refused(ByteSizes.describe(file.size()) + " is over the "
                    + ByteSizes.describe(maxFileBytes) + " limit");
        }
        if (file.size() > budgetLeft) {
            throw new FileDownloader.Refused("with the other files it would be over Gemini's "
                    + ByteSizes.describe(requestBudget) + " limit for one message");
        }
        long limit = Math.min(file.size() >= 0 ? file.size() : maxFileBytes, Math.min(maxFileBytes, budgetLeft));
        byte[] bytes = downloader.download(file, limit, declared.equals("text/html"));
        String sniffed = FileTypes.sniff(bytes);
        String type = declared.isEmpty() ? sniffed : declared;
        if (type.isEmpty() || !FileTypes.readable(type)) {
            throw new FileDownloader.Refused("not a type Gemini reads");
        }
        return new InlineFile(file.name(), FileTypes.wireType(type), bytes);
    }
}
