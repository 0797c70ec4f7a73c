package dev.geminibot.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the valid name closest to a misspelt one. Names are compared without case, dots,
 * underscores or dashes, so {@code slack.httpPort}, {@code edit_interval} and
 * {@code GEMINI_BOT_STREAMING_EDIT_INTERVL} all find their key; the distance is Damerau's
 * (optimal string alignment: a swap of two neighbours is one edit, the commonest typo).
 * Twenty lines of our own rather than a dependency for one function.
 */
final class Suggestions {
    private Suggestions() {
    }

    /** The candidate nearest to {@code wrong}, if it is near enough to be a plausible intent. */
    static Optional<String> closest(String wrong, Collection<String> candidates) {
        String w = normalise(wrong);
        int limit = Math.max(2, Math.min(4, w.length() / 4));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(w, normalise(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /**
     * For a key put in the wrong section ({@code gemini.editInterval}): the candidate whose last
     * name is nearest to the wrong key's last name.
     */
    static Optional<String> closestByLastName(String wrongPath, Collection<String> paths) {
        String wrongLast = lastName(wrongPath);
        Map<String, String> byLast = new LinkedHashMap<>();
        for (String path : paths) {
            byLast.putIfAbsent(lastName(path), path);
        }
        return closest(wrongLast, byLast.keySet()).map(byLast::get);
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    static String normalise(String name) {
        String s = name.startsWith(Key.ENV_PREFIX) ? name.substring(Key.ENV_PREFIX.length()) : name;
        return s.replaceAll("[._\\-]", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
