package dev.geminibot.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems while loading, so loading goes on after the first one. Every message has each
 * known secret masked as it is added: a message may quote the value it rejects, and an operator may
 * have pasted a token into the wrong variable or key. Confined to one load.
 */
final class Problems {
    private final List<Secret> secrets;
    private final List<ConfigProblem> list = new ArrayList<>();

    Problems(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    void add(String where, String message) {
        list.add(new ConfigProblem(where, redact(message)));
    }

    void add(String where, InvalidValue invalid) {
        list.add(new ConfigProblem(where, redact(invalid.render(this::redact))));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<ConfigProblem> list() {
        return List.copyOf(list);
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }

    private String redact(String text) {
        String out = text;
        for (Secret s : secrets) {
            out = s.redactFrom(out);
        }
        return out;
    }
}
