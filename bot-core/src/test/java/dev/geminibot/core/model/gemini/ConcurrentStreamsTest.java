package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.StreamResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many answers at once to one host: no dispatcher cap, no shared state between streams. */
class ConcurrentStreamsTest {
    static final int STREAMS = 100;

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    @Test
    void hundredStreamsAreAllOpenAtOnceAndAllComplete() throws Exception {
        CountDownLatch allArrived = new CountDownLatch(STREAMS);
        try (FakeGemini gemini = FakeGemini.start()) {
            // The server answers nobody until it has seen all requests: they must all be in flight together.
            gemini.dispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    allArrived.countDown();
                    if (!allArrived.await(20, TimeUnit.SECONDS)) {
                        return new MockResponse.Builder().code(500).build();
                    }
                    String n = request.getBody().utf8().replaceAll("(?s).*question (\\d+).*", "$1");
                    return FakeGemini.sse(FakeGemini.streamOf("answer ", n)).build();
                }
            });
            ChatModel model = new GeminiModel(gemini.config(), new OkHttpClient());

            List<Future<StreamResult>> results = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < STREAMS; i++) {
                    ChatRequest request = ChatRequest.of("", "question " + i);
                    results.add(threads.submit(() -> StreamResult.drain(model.stream(request))));
                }
                for (int i = 0; i < STREAMS; i++) {
                    StreamResult result = results.get(i).get(30, TimeUnit.SECONDS);
                    assertThat(result.error()).isNull();
                    assertThat(result.text()).isEqualTo("answer " + i);
                    assertThat(result.finished().reason()).isEqualTo(FinishReason.STOP);
                }
            }
            assertThat(gemini.requestCount()).isEqualTo(STREAMS);
        }
    }
}
