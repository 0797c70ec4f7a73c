package dev.geminibot.core.testing;

import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An in-process {@link ChatModel} whose streams follow scripts, for tests of what sits above the model
 * (engine, adapters). Scripts are used in the order they were added; with none left, the model echoes
 * the question. A script can hold the stream open at a {@link Gate} until the test opens it or the
 * stream is cancelled, which is how tests make answers overlap deterministically.
 */
public final class ScriptedModel implements ChatModel {
    private final Deque<List<Step>> scripts = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    private final Semaphore started = new Semaphore(0);
    private final List<ScriptedStream> streams = new ArrayList<>();

    /** A point where a scripted stream waits. */
    public static final class Gate {
        private final CountDownLatch open = new CountDownLatch(1);

        public void open() {
            open.countDown();
        }
    }

    private sealed interface Step {
    }

    private record Emit(StreamEvent event) implements Step {
    }

    private record Wait(Gate gate) implements Step {
    }

    private record Fail(ModelException failure) implements Step {
    }

    /** The next stream writes {@code deltas} and finishes with STOP. */
    public synchronized ScriptedModel answer(String... deltas) {
        List<Step> steps = deltas(deltas);
        steps.add(new Emit(new Finished(FinishReason.STOP, new Usage(3, deltas.length, 0, 3 + deltas.length))));
        scripts.add(steps);
        return this;
    }

    /** The next stream thinks, then writes {@code deltas} and finishes with STOP. */
    public synchronized ScriptedModel thinkThenAnswer(String thought, String... deltas) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Emit(new ThinkingDelta(thought)));
        steps.addAll(deltas(deltas));
        steps.add(new Emit(new Finished(FinishReason.STOP, Usage.NONE)));
        scripts.add(steps);
        return this;
    }

    /** The next stream writes {@code deltas} and finishes with {@code reason}. */
    public synchronized ScriptedModel finish(FinishReason reason, String... deltas) {
        List<Step> steps = deltas(deltas);
        steps.add(new Emit(new Finished(reason, Usage.NONE, reason == FinishReason.PROMPT_BLOCKED ? "SAFETY" : null)));
        scripts.add(steps);
        return this;
    }

    /** The next stream writes {@code deltas}, then fails with {@code failure}. */
    public synchronized ScriptedModel fail(ModelException failure, String... deltas) {
        List<Step> steps = deltas(deltas);
        steps.add(new Fail(failure));
        scripts.add(steps);
        return this;
    }

    /**
     * The next stream writes {@code before}, waits at the returned gate, then writes {@code after} and
     * finishes with STOP.
     */
    public synchronized Gate hold(List<String> before, List<String> after) {
        Gate gate = new Gate();
        List<Step> steps = deltas(before.toArray(String[]::new));
        steps.add(new Wait(gate));
        steps.addAll(deltas(after.toArray(String[]::new)));
        steps.add(new Emit(new Finished(FinishReason.STOP, Usage.NONE)));
        scripts.add(steps);
        return gate;
    }

    /**
     * The next stream writes {@code parts} with a gate between each two (so {@code parts.length - 1}
     * gates), then finishes with STOP.
     */
    public synchronized List<Gate> gated(String... parts) {
        List<Gate> gates = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                Gate gate = new Gate();
                gates.add(gate);
                steps.add(new Wait(gate));
            }
            steps.add(new Emit(new TextDelta(parts[i])));
        }
        steps.add(new Emit(new Finished(FinishReason.STOP, Usage.NONE)));
        scripts.add(steps);
        return gates;
    }

    /** Every request received, in order. */
    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits until {@code count} more streams have started to be read. */
    public void awaitStarted(int count) throws InterruptedException {
        if (!started.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("expected " + count + " streams to start");
        }
    }

    /** Streams that were cancelled, in the order they were opened. */
    public synchronized List<Boolean> cancelled() {
        return streams.stream().map(s -> s.cancelled.getCount() == 0).toList();
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public synchronized ModelStream stream(ChatRequest request) {
        requests.add(request);
        List<Step> steps = scripts.poll();
        if (steps == null) {
            String question = request.messages().get(request.messages().size() - 1).text();
            steps = deltas("You ", "said: ", question);
            steps.add(new Emit(new Finished(FinishReason.STOP, Usage.NONE)));
        }
        ScriptedStream stream = new ScriptedStream(steps);
        streams.add(stream);
        return stream;
    }

    private static List<Step> deltas(String... texts) {
        List<Step> steps = new ArrayList<>();
        for (String text : texts) {
            steps.add(new Emit(new TextDelta(text)));
        }
        return steps;
    }

    private final class ScriptedStream implements ModelStream {
        private final Deque<Step> steps;
        private final CountDownLatch cancelled = new CountDownLatch(1);

        ScriptedStream(List<Step> steps) {
            this.steps = new ArrayDeque<>(steps);
        }

        @Override
        public Iterator<StreamEvent> iterator() {
            started.release();
            return new Iterator<>() {
                private StreamEvent next;

                @Override
                public boolean hasNext() {
                    while (next == null) {
                        if (cancelled.getCount() == 0) {
                            throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
                        }
                        Step step = steps.poll();
                        if (step == null) {
                            return false;
                        }
                        switch (step) {
                            case Emit emit -> next = emit.event();
                            case Fail fail -> throw fail.failure();
                            case Wait wait -> await(wait.gate());
                        }
                    }
                    return true;
                }

                @Override
                public StreamEvent next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    StreamEvent event = next;
                    next = null;
                    return event;
                }
            };
        }

        private void await(Gate gate) {
            try {
                while (!gate.open.await(5, TimeUnit.MILLISECONDS)) {
                    if (cancelled.getCount() == 0) {
                        throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException(ModelException.Kind.CANCELLED, "interrupted");
            }
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public void close() {
            // Closing a finished stream is not a cancellation; nothing to release in memory.
        }
    }
}
