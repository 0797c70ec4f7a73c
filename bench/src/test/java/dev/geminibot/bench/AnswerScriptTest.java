package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnswerScriptTest {

    @Test
    void theSameIdAlwaysGivesTheSameAnswer() {
        assertThat(deltas(AnswerScript.of(7, 50))).isEqualTo(deltas(AnswerScript.of(7, 50)));
        assertThat(AnswerScript.of(7, 50).text()).isNotEqualTo(AnswerScript.of(8, 50).text());
    }

    @Test
    void countsTheDeltasAShownTextHolds() {
        AnswerScript script = AnswerScript.of(3, 10);
        String text = script.text();
        int endOfThird = script.end(2);

        assertThat(script.deltasIn("", "▌")).isZero();
        assertThat(script.deltasIn(text.substring(0, endOfThird) + "▌", "▌")).isEqualTo(3);
        assertThat(script.deltasIn(text.substring(0, endOfThird - 1), "▌")).isEqualTo(2); // a half word
        assertThat(script.deltasIn(text, "▌")).isEqualTo(10);
    }

    @Test
    void aTextThatIsNotAPrefixIsWrong() {
        AnswerScript script = AnswerScript.of(3, 10);

        assertThat(script.deltasIn("something else", "▌")).isEqualTo(-1);
        assertThat(script.deltasIn(script.text() + " extra", "▌")).isEqualTo(-1);
    }

    @Test
    void eachEndIsTheStrippedLengthOfTheTextUpToThatDelta() {
        for (long id = 0; id < 50; id++) {
            AnswerScript script = AnswerScript.of(id, 240);
            StringBuilder upTo = new StringBuilder();
            for (int i = 0; i < script.size(); i++) {
                upTo.append(script.delta(i));
                assertThat(script.end(i)).as("answer %d, delta %d", id, i)
                        .isEqualTo(upTo.toString().stripTrailing().length());
            }
        }
    }

    @Test
    void theDeltasJoinToTheTextEachWithItsWords() {
        AnswerScript script = AnswerScript.of(11, 40, 3);

        assertThat(String.join("", deltas(script))).isEqualTo(script.text());
        assertThat(deltas(script)).hasSize(40).allSatisfy(delta ->
                assertThat(delta.strip().split("\\s+")).hasSize(3));
        assertThat(script.delta(0)).doesNotStartWith(" ");
        assertThatThrownBy(() -> script.delta(40)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static List<String> deltas(AnswerScript script) {
        return IntStream.range(0, script.size()).mapToObj(script::delta).toList();
    }
}
