package dev.geminibot.config;

/**
 * The Discord shards one process runs, {@code first} to {@code last} inclusive ({@code discord.shardRange}:
 * {@code 0-3}, or {@code 2} for one). Parsed once, by the configuration; checked against
 * {@code discord.shards} there too, so the adapter only applies it.
 */
public record ShardRange(int first, int last) {
    public ShardRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("a shard range runs from a first shard >= 0 to a last >= first");
        }
    }

    /** {@code 0-3}, {@code 0 - 3} or {@code 2}; {@code null} when {@code text} is not of that form. */
    static ShardRange parseOrNull(String text) {
        String[] ends = text.strip().split("\\s*-\\s*", -1);
        if (ends.length > 2 || !ends[0].matches("\\d{1,9}") || (ends.length == 2 && !ends[1].matches("\\d{1,9}"))) {
            return null;
        }
        int first = Integer.parseInt(ends[0]);
        int last = ends.length == 2 ? Integer.parseInt(ends[1]) : first;
        return last < first ? null : new ShardRange(first, last);
    }

    /** Whether every shard of the range exists among {@code total} shards (numbered 0 to total-1). */
    public boolean fitsIn(int total) {
        return last < total;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
