package dev.geminibot.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.Source;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcesLineTest {

    @Test
    void noUsableSourcesMeansNoLine() {
        assertThat(SourcesLine.of(List.of())).isNull();
        assertThat(SourcesLine.of(List.of(new Source("javascript:alert(1)", "x"), new Source("ftp://h/f", "y")))).isNull();
    }

    @Test
    void aTitlelessSourceIsNamedByItsHostAndAWeirdUriStaysInsideItsBrackets() {
        assertThat(SourcesLine.of(List.of(new Source("https://www.example.com/a b>c|d", ""))))
                .isEqualTo("**Sources:** 1. [example.com](<https://www.example.com/a%20b%3Ec%7Cd>)");
    }

    @Test
    void aLongListGoesOneSourcePerLineSoSplitsFallBetweenLinks() {
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sources.add(new Source("https://vertexaisearch.cloud.google.com/grounding-api-redirect/" + "A".repeat(180) + i,
                    "A page with a long title number " + i));
        }
        String line = SourcesLine.of(sources);
        assertThat(line.lines()).hasSize(9).first().isEqualTo("**Sources:**");
        assertThat(line.lines().skip(1)).allSatisfy(l -> assertThat(l).matches("\\d\\. \\[[^\\]]+\\]\\(<https://[^>]+>\\)"));
    }

    @Test
    void longTitlesAreShortenedAndFlattened() {
        String title = SourcesLine.title("line one\nline two " + "x".repeat(200), "https://e.com");
        assertThat(title).doesNotContain("\n").endsWith("…").hasSizeLessThanOrEqualTo(80);
    }
}
