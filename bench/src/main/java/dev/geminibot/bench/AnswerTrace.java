package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One answer as the user sees it on a {@link SimPlatform}: when each delta was produced, when the first
 * message text holding it landed (its staleness), and what the client did (posts, edits, 429s). Every
 * policy talks to the platform through {@link #post} and {@link #edit}, so all are counted alike.
 * Single-threaded (virtual clock).
 */
final class AnswerTrace implements SimPlatform.Listener {
    /** Texts that hold no answer yet (a baseline's placeholder); they count as zero deltas, not as wrong. */
    static final String PLACEHOLDER = ":hourglass_flowing_sand: Typing...";

    private final SimPlatform platform;
    private final String key;
    private final AnswerScript script;
    private final String cursor;
    private final Instant[] produced;
    private final Samples staleness = new Samples();
    private int covered;
    private int displayed;
    private final Map<MessageRef, String> texts = new LinkedHashMap<>();
    private final Map<MessageRef, Integer> offsets = new LinkedHashMap<>();
    private final Map<MessageRef, Integer> ends = new LinkedHashMap<>();
    private Instant completeAt;
    int posts;
    int edits;
    int rateLimited;
    int rateLimitedFinal;
    int regressions;
    int wrongTexts;
    Duration firstText;

    AnswerTrace(SimPlatform platform, String key, AnswerScript script, String cursor) {
        this.platform = platform;
        this.key = key;
        this.script = script;
        this.cursor = cursor;
        this.produced = new Instant[script.size()];
    }

    AnswerScript script() {
        return script;
    }

    String key() {
        return key;
    }

    PlatformModel platformModel() {
        return platform.model();
    }

    void produced(int delta, Instant at) {
        produced[delta] = at;
    }

    CompletableFuture<MessageRef> post(String text) {
        posts++;
        return platform.post(text, this);
    }

    CompletableFuture<Void> edit(MessageRef message, String text) {
        edits++;
        return platform.edit(key, message, text).whenComplete((ok, error) -> {
            if (isRateLimit(error)) {
                rateLimited++;
                if (text.equals(script.text())) {
                    rateLimitedFinal++; // the whole answer without cursor: the final edit
                }
            }
        });
    }

    static boolean isRateLimit(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof PlatformException p && p.kind() == PlatformException.Kind.RATE_LIMITED;
    }

    static Duration retryAfter(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof PlatformException p ? p.retryAfter().orElse(Duration.ofSeconds(1)) : Duration.ofSeconds(1);
    }

    @Override
    public void landed(MessageRef message, String text, Instant at) {
        texts.put(message, text);
        int n = covered(message, text);
        if (n < 0) {
            wrongTexts++;
            return;
        }
        if (n < displayed) {
            // The answer as a whole shows less than before: an older text landed after a newer one, or a
            // full message was cut short before its continuation appeared (text vanishing at a split).
            regressions++;
        }
        displayed = n;
        if (n > 0 && firstText == null && produced[0] != null) {
            firstText = Duration.between(produced[0], at);
        }
        while (covered < n) {
            staleness.add(Duration.between(produced[covered], at).toMillis());
            covered++;
        }
        if (completeAt == null && covered == script.size() && String.join("", texts.values()).equals(script.text())) {
            completeAt = at;
        }
    }

    /**
     * How many leading deltas the answer's messages show together, now that {@code message} shows
     * {@code text}: each message shows a stretch of the answer starting where it was split off (found once
     * and checked on every landing); the answer shows up to the furthest end. -1 for a text that is no
     * stretch of the answer.
     */
    private int covered(MessageRef message, String text) {
        if (text.equals(PLACEHOLDER)) {
            return displayed;
        }
        String body = script.body(text, cursor);
        Integer offset = offsets.get(message);
        if (offset == null || !script.text().startsWith(body, offset)) {
            if (offsets.isEmpty() || (offsets.size() == 1 && offsets.containsKey(message))) {
                offset = script.text().startsWith(body) ? 0 : -1;
            } else {
                int after = 0;
                for (var entry : offsets.entrySet()) {
                    if (!entry.getKey().equals(message)) {
                        after = Math.max(after, entry.getValue() + 1);
                    }
                }
                offset = script.text().indexOf(body, after);
            }
            if (offset < 0) {
                return -1;
            }
            offsets.put(message, offset);
        }
        ends.put(message, offset + body.length());
        int furthest = 0;
        for (int end : ends.values()) {
            furthest = Math.max(furthest, end);
        }
        return script.deltasUpTo(furthest);
    }

    /** From the model's last delta until the messages showed exactly the whole answer; null if never. */
    Duration completeAfterLastDelta() {
        Instant last = produced[produced.length - 1];
        return completeAt == null || last == null ? null : Duration.between(last, completeAt);
    }

    /** Staleness of every delta in ms; a delta that never landed counts as {@link Samples#NEVER}. */
    Samples staleness() {
        Samples all = new Samples();
        all.addAll(staleness);
        for (int i = covered; i < script.size(); i++) {
            all.add(Samples.NEVER);
        }
        return all;
    }

    /** Deltas that never landed in any text. */
    int neverShown() {
        return script.size() - covered;
    }

    /** True if the messages, joined in order, end showing exactly the whole answer. */
    boolean finalExact() {
        return script.text().equals(String.join("", texts.values()));
    }

    /** Messages the answer used. */
    int messages() {
        return texts.size();
    }
}
