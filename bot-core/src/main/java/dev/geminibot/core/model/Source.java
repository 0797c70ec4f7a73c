package dev.geminibot.core.model;

import java.util.Objects;

/**
 * A web page the answer drew on (Google Search grounding, URL context).
 *
 * @param uri   where it is, as the model gave it (grounding URIs are Google redirect links)
 * @param title what the page calls itself, as the model gave it (untrusted: escape before showing); may be empty
 */
public record Source(String uri, String title) {
    public Source {
        Objects.requireNonNull(uri, "uri");
        title = title == null ? "" : title;
    }
}
