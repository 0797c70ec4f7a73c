package dev.geminibot.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, not just the first, so one run
 * tells the operator everything to fix. {@link #getMessage()} lists them one per line and is meant
 * to be printed as it is; the launcher then exits with status 2 (a usage error, as for a bad
 * command-line option). No message ever contains a secret value.
 */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    /** @param problems at least one */
    public ConfigException(List<ConfigProblem> problems) {
        super(null, null, false, false); // the report is the message; a stack trace would only bury it
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order found: file problems first, then the environment's, then cross-checks. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** For example {@code "Configuration has 2 problems:\n  - streaming.editInterval: 'fast' is not a duration…"}. */
    @Override
    public String getMessage() {
        StringBuilder text = new StringBuilder("Configuration has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (ConfigProblem p : problems) {
            text.append("\n  - ").append(p);
        }
        return text.toString();
    }
}
