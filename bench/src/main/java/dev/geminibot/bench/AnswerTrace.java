package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.time.Instant;
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
    private String lastText;
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
        lastText = text;
        int n = text.equals(PLACEHOLDER) ? 0 : script.deltasIn(text, cursor);
        if (n < 0) {
            wrongTexts++;
            return;
        }
        if (n < displayed) {
            regressions++; // an older text landed after a newer one: the message went backwards
        }
        displayed = n;
        if (n > 0 && firstText == null && produced[0] != null) {
            firstText = Duration.between(produced[0], at);
        }
        while (covered < n) {
            staleness.add(Duration.between(produced[covered], at).toMillis());
            covered++;
        }
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

    /** True if the message ends showing exactly the whole answer. */
    boolean finalExact() {
        return script.text().equals(lastText);
    }
}
