package dev.geminibot.app;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What the chat needs to know about the terminal: whether stdout is one, and how wide it is. */
record Terminal(boolean interactive, int columns) {
    static final int DEFAULT_COLUMNS = 80;

    static Terminal detect() {
        boolean interactive = isTerminal(System.console());
        return new Terminal(interactive, interactive ? queryColumns() : DEFAULT_COLUMNS);
    }

    /** A pipe or file: every answer is written once, whole. */
    static Terminal pipe() {
        return new Terminal(false, DEFAULT_COLUMNS);
    }

    /**
     * Java 22 made {@code System.console()} non-null even when redirected and added
     * {@code Console.isTerminal()}; on Java 21 a non-null console already means a terminal.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException onJava21) {
            return true;
        }
    }

    private static int queryColumns() {
        String fromEnv = System.getenv("COLUMNS");
        if (fromEnv != null && fromEnv.matches("\\d+")) {
            return Integer.parseInt(fromEnv);
        }
        try {
            Process stty = new ProcessBuilder("sh", "-c", "stty size < /dev/tty")
                    .redirectErrorStream(true).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && size.matches("\\d+ \\d+")) {
                return Math.max(20, Integer.parseInt(size.split(" ")[1]));
            }
        } catch (java.io.IOException e) {
            // No stty: fall back below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_COLUMNS;
    }
}
