package dev.geminibot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The answer a fake model streams: plain words, one per delta (like one token each), with an occasional
 * paragraph break. Plain words render identically on every platform, so a message's text tells exactly
 * which deltas it holds. Deterministic: the same {@code id} and length always give the same deltas, so
 * the fake Gemini and the checker agree without talking.
 */
final class AnswerScript {
    private static final String[] WORDS = {
            "stream", "message", "edit", "token", "answer", "bucket", "limit", "model", "channel", "thread",
            "reply", "delta", "server", "client", "socket", "window", "latency", "update", "text", "final",
            "cursor", "split", "code", "block", "fence", "word", "gemini", "slack", "discord", "virtual"};

    /** Where each delta starts in {@link #text}, and where the last one ends: the deltas without a string each. */
    private final int[] starts;
    private final int[] ends;
    private final String text;

    private AnswerScript(List<String> deltas) {
        // Only the text and offsets are kept: at N = 10,000 a list of delta strings per answer was ~70 MB of the
        // benchmark's own heap beside the bot's, which its collections then had to copy and keep.
        this.starts = new int[deltas.size() + 1];
        this.ends = new int[deltas.size()];
        // ends[i] = (delta 0..i joined).stripTrailing().length(), computed without copying the prefix per
        // delta: that copy (quadratic in the answer length) ran in ScaleRun's measured window and a profile
        // put it at ~6 % of the "bot" CPU at N = 1,000.
        StringBuilder all = new StringBuilder();
        int end = 0;
        for (int i = 0; i < deltas.size(); i++) {
            String delta = deltas.get(i);
            int kept = delta.stripTrailing().length();
            if (kept > 0) {
                end = all.length() + kept;
            }
            all.append(delta);
            ends[i] = end;
            starts[i + 1] = all.length();
        }
        this.text = all.toString();
    }

    /** {@code count} deltas for answer {@code id}: about 7 characters each. */
    static AnswerScript of(long id, int count) {
        return of(id, count, 1);
    }

    /**
     * {@code count} deltas of {@code words} words each (Gemini often sends several tokens per event): with
     * more than one, the first delta ends with a word the next delta could still have continued.
     */
    static AnswerScript of(long id, int count, int words) {
        SplittableRandom random = new SplittableRandom(id * 0x9E3779B97F4A7C15L + count);
        List<String> deltas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder delta = new StringBuilder();
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                String gap = i == 0 && w == 0 ? "" : random.nextInt(40) == 0 ? "\n\n" : " ";
                delta.append(gap).append(word);
            }
            deltas.add(delta.toString());
        }
        return new AnswerScript(deltas);
    }

    /** Delta {@code i}, cut from the text. */
    String delta(int i) {
        Objects.checkIndex(i, ends.length);
        return text.substring(starts[i], starts[i + 1]);
    }

    int size() {
        return ends.length;
    }

    /** The whole answer. */
    String text() {
        return text;
    }

    /** Length of the answer up to and including delta {@code i}, without trailing whitespace. */
    int end(int i) {
        return ends[i];
    }

    /**
     * How many leading deltas a message showing {@code shown} holds (its cursor and trailing whitespace
     * ignored), or -1 if {@code shown} is not a prefix of the answer: a wrong text.
     */
    int deltasIn(String shown, String cursor) {
        String body = body(shown, cursor);
        return text.startsWith(body) ? deltasUpTo(body.length()) : -1;
    }

    /** {@code shown} without its cursor and trailing whitespace. */
    String body(String shown, String cursor) {
        String body = shown;
        if (!cursor.isEmpty() && body.endsWith(cursor)) {
            body = body.substring(0, body.length() - cursor.length());
        }
        return body.stripTrailing();
    }

    /** How many leading deltas the first {@code length} characters of the answer hold whole. */
    int deltasUpTo(int length) {
        // ends[] ascends: count the ends within the shown length (upper bound by binary search).
        int low = 0;
        int high = ends.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (ends[mid] <= length) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
