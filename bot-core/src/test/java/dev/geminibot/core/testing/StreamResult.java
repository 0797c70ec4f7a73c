package dev.geminibot.core.testing;

import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@link ModelStream} yielded, read to its end: the events in order, the answer and
 * thinking text joined, the {@link Finished} event, or the {@link ModelException} that ended it.
 */
public record StreamResult(List<StreamEvent> events, String text, String thinking, Finished finished,
                           ModelException error) {

    /** Iterates {@code stream} to its end on this thread and closes it. */
    public static StreamResult drain(ModelStream stream) {
        List<StreamEvent> events = new ArrayList<>();
        ModelException error = null;
        try (stream) {
            for (StreamEvent event : stream) {
                events.add(event);
            }
        } catch (ModelException e) {
            error = e;
        }
        return of(events, error);
    }

    static StreamResult of(List<StreamEvent> events, ModelException error) {
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        Finished finished = null;
        for (StreamEvent event : events) {
            switch (event) {
                case TextDelta delta -> text.append(delta.text());
                case ThinkingDelta delta -> thinking.append(delta.text());
                case dev.geminibot.core.model.ToolActivity tool -> { }
                case Finished end -> finished = end;
            }
        }
        return new StreamResult(List.copyOf(events), text.toString(), thinking.toString(), finished, error);
    }
}
