package dev.geminibot.bench;

import dev.geminibot.core.testing.VirtualScheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Staleness and edit behaviour, every policy side by side on the same deltas and the same fake platform,
 * on a virtual clock (deterministic: the numbers are the policies', not this machine's).
 *
 * <p>Each answer streams {@code deltas} words at about 40 per second (25 ms apart, ±10 ms seeded jitter);
 * answers in one scenario share one rate-limit key (one Discord channel, one Slack workspace) and start
 * {@code stagger} apart. For every delta, staleness is the time from when the model produced it until the
 * first edit holding it landed on the platform (the call completed).
 */
final class StalenessRun {

    /** One situation: a platform and how many answers stream at once under one key. */
    record Scenario(String name, PlatformModel platform, int answers, Duration stagger, int deltas, int periodMs,
                    int wordsPerDelta) {
        Scenario(String name, PlatformModel platform, int answers, Duration stagger, int deltas) {
            this(name, platform, answers, stagger, deltas, 25, 1);
        }

        Scenario(String name, PlatformModel platform, int answers, Duration stagger, int deltas, int periodMs) {
            this(name, platform, answers, stagger, deltas, periodMs, 1);
        }
    }

    /** What one policy did in one scenario. */
    record Outcome(String policy, Samples staleness, double editsPerAnswer, long rateLimited, long rateLimitedFinal,
                   int regressions,
                   int wrongTexts, int finalExact, int answers, int neverShown, Samples firstText,
                   List<Long> p99PerAnswer, Samples rateLimitedPerAnswer, Samples completeAfterLastDelta,
                   double messagesPerAnswer) {
    }

    static final List<EditPolicy.Factory> POLICIES = List.of(OursPolicy.factory(), OursPolicy.withPacedReads(), OursPolicy.withTokenBucket(),
            LlmcordPolicy.factory(), EveryNDeltasPolicy.factory(), ChatSdkPolicy.factory());

    static List<Scenario> scenarios(int deltas) {
        return List.of(
                new Scenario("discord, 1 answer", PlatformModel.discord(), 1, Duration.ZERO, deltas),
                new Scenario("discord, 3 answers in 1 channel", PlatformModel.discord(), 3, Duration.ofMillis(700),
                        deltas),
                new Scenario("slack, 1 answer", PlatformModel.slack(), 1, Duration.ZERO, deltas),
                new Scenario("slack, 5 answers in 1 workspace", PlatformModel.slack(), 5, Duration.ofMillis(900),
                        deltas),
                // Long answers: a per-minute budget burnt in the first seconds leaves the rest of the minute dark.
                new Scenario("slack, 5 answers of 60 s in 1 workspace", PlatformModel.slack(), 5,
                        Duration.ofMillis(900), 480, 125),
                new Scenario("fast, 1 answer", PlatformModel.fast(), 1, Duration.ZERO, deltas),
                new Scenario("fast, 10 answers", PlatformModel.fast(), 10, Duration.ofMillis(300), deltas),
                // A mention every 8 s, each answered in about 3 s: the budget has room, so every answer should
                // stream at the edit interval, the fifth like the first.
                new Scenario("slack, 5 answers in sequence in 1 workspace (no limit enforced)",
                        PlatformModel.slackUnlimited(), 5, Duration.ofSeconds(8), deltas / 2),
                // A stricter Slack than documented: the pacer must learn it from the 429s.
                new Scenario("slack limited to 1 update per 3 s, 5 answers in sequence", PlatformModel.slackStrict(), 5,
                        Duration.ofSeconds(10), deltas),
                // Three words per event, as Gemini often sends them: is the first event shown whole at once?
                new Scenario("discord, 1 answer, 3 words per delta", PlatformModel.discord(), 1, Duration.ZERO,
                        deltas / 3, 75, 3),
                new Scenario("slack, 1 answer, 3 words per delta", PlatformModel.slack(), 1, Duration.ZERO,
                        deltas / 3, 75, 3),
                // About 4,500 characters: three Discord messages.
                new Scenario("discord, a long answer with splits", PlatformModel.discord(), 1, Duration.ZERO,
                        deltas * 686 / 240));
    }

    static Outcome run(Scenario scenario, EditPolicy.Factory factory, long seed) {
        VirtualScheduler clock = new VirtualScheduler();
        SimPlatform platform = new SimPlatform(clock, scenario.platform(), seed);
        EditPolicy policy = factory.make().apply(clock);
        List<AnswerTrace> traces = new ArrayList<>();
        SplittableRandom jitter = new SplittableRandom(seed);
        for (int a = 0; a < scenario.answers(); a++) {
            AnswerScript script = AnswerScript.of(a, scenario.deltas(), scenario.wordsPerDelta());
            AnswerTrace trace = new AnswerTrace(platform, "key-1", script, OursPolicy.CURSOR);
            traces.add(trace);
            Duration start = scenario.stagger().multipliedBy(a).plusMillis(jitter.nextInt(50));
            long[] at = new long[script.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = start.toMillis() + (long) scenario.periodMs() * i + (i == 0 ? 0 : jitter.nextInt(21) - 10);
            }
            clock.schedule(start.minusMillis(1), () -> {
                EditPolicy.AnswerStream stream = policy.start(trace);
                for (int i = 0; i < at.length; i++) {
                    int index = i;
                    clock.schedule(Duration.ofMillis(at[i]).minus(clock.elapsed()), () -> {
                        trace.produced(index, clock.now());
                        stream.delta(script.delta(index));
                    });
                }
                clock.schedule(Duration.ofMillis(at[at.length - 1] + 1).minus(clock.elapsed()), stream::end);
            });
        }
        clock.runUntilIdle();
        Samples staleness = new Samples();
        Samples first = new Samples();
        int regressions = 0;
        List<Long> p99s = new ArrayList<>();
        Samples limitedPerAnswer = new Samples();
        Samples complete = new Samples();
        long messages = 0;
        int wrong = 0;
        int exact = 0;
        int never = 0;
        long edits = 0;
        long limited = 0;
        long limitedFinal = 0;
        for (AnswerTrace trace : traces) {
            staleness.addAll(trace.staleness());
            p99s.add(trace.staleness().p99());
            limitedPerAnswer.add(trace.rateLimited);
            Duration lag = trace.completeAfterLastDelta();
            complete.add(lag == null ? Samples.NEVER : lag.toMillis());
            messages += trace.messages();
            regressions += trace.regressions;
            wrong += trace.wrongTexts;
            exact += trace.finalExact() ? 1 : 0;
            never += trace.neverShown();
            edits += trace.edits;
            limited += trace.rateLimited;
            limitedFinal += trace.rateLimitedFinal;
            if (trace.firstText != null) {
                first.add(trace.firstText.toMillis());
            }
        }
        return new Outcome(factory.name(), staleness, (double) edits / traces.size(), limited, limitedFinal, regressions, wrong,
                exact, traces.size(), never, first, p99s, limitedPerAnswer, complete,
                (double) messages / traces.size());
    }

    /** Runs every scenario with every policy and prints one table per scenario. */
    static Map<Scenario, List<Outcome>> runAll(PrintStream out, int deltas, long seed) {
        Map<Scenario, List<Outcome>> all = new LinkedHashMap<>();
        for (Scenario scenario : scenarios(deltas)) {
            List<Outcome> outcomes = new ArrayList<>();
            for (EditPolicy.Factory factory : POLICIES) {
                outcomes.add(run(scenario, factory, seed));
            }
            all.put(scenario, outcomes);
            Outcome ours = outcomes.get(0);
            Table table = new Table("Staleness, " + scenario.name() + " (" + scenario.platform().name() + "; "
                    + scenario.deltas() + " deltas (" + AnswerScript.of(0, scenario.deltas(), scenario.wordsPerDelta()).text().length()
                    + " characters) per answer, one per " + scenario.periodMs() + " ms"
                    + (scenario.wordsPerDelta() > 1 ? ", " + scenario.wordsPerDelta() + " words each" : "")
                    + "; answers start "
                    + scenario.stagger().toMillis() + " ms apart; virtual clock)",
                    "policy", "p50 ms", "p99 ms", "max ms", "ours/p99", "first text p50 ms", "edits/answer",
                    "429s (on final)", "regressions", "final exact", "never shown", "p99 1st / last answer ms",
                    "429s per answer p50", "complete after last delta max ms", "messages/answer");
            for (Outcome o : outcomes) {
                table.row(o.policy(), Samples.show(o.staleness().p50()), Samples.show(o.staleness().p99()),
                        Samples.show(o.staleness().max()),
                        o == ours ? "1.00" : o.staleness().p99() == Samples.NEVER ? "0 (never)"
                                : Table.ratio(ours.staleness().p99(), o.staleness().p99()),
                        o.firstText().p50(), String.format(Locale.ROOT, "%.1f", o.editsPerAnswer()),
                        o.rateLimited() + " (" + o.rateLimitedFinal() + ")", o.regressions(), o.finalExact() + "/" + o.answers(), o.neverShown(),
                        Samples.show(o.p99PerAnswer().get(0)) + " / "
                                + Samples.show(o.p99PerAnswer().get(o.p99PerAnswer().size() - 1)),
                        o.rateLimitedPerAnswer().p50(), Samples.show(o.completeAfterLastDelta().max()),
                        String.format(Locale.ROOT, "%.1f", o.messagesPerAnswer()));
                if (o.wrongTexts() > 0) {
                    out.println("WRONG intermediate texts: " + o.policy() + " in " + scenario.name() + ": "
                            + o.wrongTexts());
                }
            }
            table.print(out);
        }
        return all;
    }
}
