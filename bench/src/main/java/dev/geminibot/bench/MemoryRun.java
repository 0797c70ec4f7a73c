package dev.geminibot.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.geminibot.config.ContextConfig;
import dev.geminibot.core.conversation.Conversation;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.MemoryStateStore;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory per remembered conversation: fills the real {@link ConversationStore} (default
 * {@code context.*}: 64,000,000 characters, 24 h idle expiry) with idle conversations of 10 turns
 * (5 questions, 5 answers), measures the heap after a full GC before and after, then keeps answering in
 * random conversations (each answer appends two turns and saves, as the engine does) and records every
 * GC pause. Text is ASCII (one byte per character in a compact string).
 */
final class MemoryRun {
    private MemoryRun() {
    }

    static void run(PrintStream out, int conversations, int turns, int questionChars, int answerChars) {
        ContextConfig config = ContextConfig.defaults();
        List<Long> pauses = new ArrayList<>();
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                if (!info.getGcAction().contains("concurrent") && !info.getGcName().contains("Concurrent")) {
                    synchronized (pauses) {
                        pauses.add(info.getGcInfo().getDuration());
                    }
                }
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        SplittableRandom random = new SplittableRandom(42);
        long before = usedAfterGc();
        ConversationStore store = new ConversationStore(config);
        // The engine keeps each conversation twice: the state store (the truth; here the memory backend, the
        // default of `chat` and `state.backend: memory`) and the cache in front of it, sharing the turns.
        MemoryStateStore state = new MemoryStateStore(Scheduler.system(), config);
        Instant now = Instant.now();
        long started = System.nanoTime();
        for (int i = 0; i < conversations; i++) {
            ConversationKey key = ConversationKey.channel("discord", "guild-" + (i % 100), "channel-" + i);
            Conversation conversation = store.findOrLoad(key, HistoryLoader.NONE, config.maxChars());
            for (int t = 0; t < turns; t += 2) {
                remember(state, store, conversation, Turn.user("user-" + i, "User " + i, text(random, questionChars), now),
                        Turn.model(text(random, answerChars), now), config);
            }
        }
        long fillMs = (System.nanoTime() - started) / 1_000_000;
        long after = usedAfterGc();
        synchronized (pauses) {
            pauses.clear(); // the steady state below: not the fill, not the System.gc() of the measurement
        }
        long held = Math.min(store.size(), countHeld(state, conversations));
        long perConversation = held == 0 ? 0 : (after - before) / held;
        long answers = 2L * conversations;
        long gcBefore = gcMillis();
        started = System.nanoTime();
        for (long a = 0; a < answers; a++) {
            int i = random.nextInt(conversations);
            ConversationKey key = ConversationKey.channel("discord", "guild-" + (i % 100), "channel-" + i);
            Conversation conversation = store.findOrLoad(key, HistoryLoader.NONE, config.maxChars());
            remember(state, store, conversation, Turn.user("user-" + i, "User " + i, text(random, questionChars), now),
                    Turn.model(text(random, answerChars), now), config);
        }
        long steadyMs = (System.nanoTime() - started) / 1_000_000;
        long gcMs = gcMillis() - gcBefore;
        Samples pauseSamples = new Samples();
        synchronized (pauses) {
            pauses.forEach(pauseSamples::add);
        }
        long charsPerConversation = (long) (turns / 2) * (questionChars + answerChars);
        Table table = new Table(String.format(Locale.ROOT, "Memory: %,d idle conversations of %d turns "
                        + "(%d + %d characters per question + answer) in the memory state store and the engine's cache (context.cacheMaxChars %,d each); "
                        + "then %,d answers into random conversations", conversations, turns, questionChars,
                answerChars, config.cacheMaxChars(), answers),
                "conversations held", "characters each", "heap after GC MB", "bytes per conversation",
                "bytes per character held", "fill s", "answers/s after", "GC pauses", "pause p50 / p99 / max ms",
                "GC time share");
        table.row(String.format(Locale.ROOT, "%,d", held), charsPerConversation, (after - before) >> 20,
                String.format(Locale.ROOT, "%,d", perConversation),
                String.format(Locale.ROOT, "%.2f", (double) perConversation / charsPerConversation),
                String.format(Locale.ROOT, "%.1f", fillMs / 1000.0),
                String.format(Locale.ROOT, "%,d", steadyMs == 0 ? 0 : answers * 1000 / steadyMs),
                pauseSamples.count(),
                pauseSamples.count() == 0 ? "-" : pauseSamples.p50() + " / " + pauseSamples.p99() + " / " + pauseSamples.max(),
                String.format(Locale.ROOT, "%.1f %%", steadyMs == 0 ? 0 : 100.0 * gcMs / steadyMs));
        table.print(out);
    }

    /** As the engine stores an exchange: appended to the state store, the cache's copy at its version. */
    private static void remember(MemoryStateStore state, ConversationStore cache, Conversation conversation, Turn question,
                                 Turn answer, ContextConfig config) {
        conversation.append(question, answer);
        conversation.version(state.appendTurns(conversation.key(), List.of(question, answer), config.maxTurns()));
        cache.save(conversation);
    }

    private static long countHeld(MemoryStateStore state, int conversations) {
        long held = 0;
        for (int i = 0; i < conversations; i++) {
            if (state.conversationVersion(ConversationKey.channel("discord", "guild-" + (i % 100), "channel-" + i)) != 0) {
                held++;
            }
        }
        return held;
    }

    private static String text(SplittableRandom random, int chars) {
        StringBuilder text = new StringBuilder(chars);
        while (text.length() < chars) {
            text.append((char) ('a' + random.nextInt(26)));
            if (random.nextInt(6) == 0) {
                text.append(' ');
            }
        }
        text.setLength(chars);
        return text.toString();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
