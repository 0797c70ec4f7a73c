package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model client's sockets on real loopback connections: a TLS socket layered over one finds it, and the
 * HTTP/2 reader's gathering (a long window here, so that timings on a busy machine cannot blur the result)
 * waits out its window unless a stream reader wants data or a woken reader freshens its stream.
 */
class ModelSocketsTest {
    /** Long enough that "waited out the window" and "ended at once" cannot be confused. */
    static final long WINDOW = TimeUnit.SECONDS.toNanos(2);

    ServerSocket server;
    Socket client;
    Socket accepted;
    OutputStream peer;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = ModelSockets.wrap(SocketFactory.getDefault()).createSocket(InetAddress.getLoopbackAddress(),
                server.getLocalPort());
        accepted = server.accept();
        peer = accepted.getOutputStream();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        server.close();
    }

    @Test
    void aTlsSocketLayeredOverOneOfOursFindsIt() throws IOException {
        ModelSockets.HookedInput input = ModelSockets.of(client);
        assertThat(input).isNotNull().isSameAs(client.getInputStream());
        Socket tls = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(client, "localhost",
                server.getLocalPort(), false);
        assertThat(ModelSockets.of(tls)).isSameAs(input);
        assertThat(ModelSockets.of(new Socket())).isNull();

        client.close();
        assertThat(ModelSockets.of(tls)).as("gone once closed").isNull();
    }

    /** A gathering input over the real socket's stream, read by a platform thread as OkHttp's reader is. */
    ModelSockets.HookedInput gathering() throws IOException {
        ModelSockets.HookedInput input = new ModelSockets.HookedInput(accepted.getInputStream(), WINDOW);
        input.gatherReads();
        return input;
    }

    /** Reads once on a platform thread; completes with the nanoTime the read returned. */
    static CompletableFuture<Long> readOnce(InputStream input) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                input.read(new byte[64]);
                done.complete(System.nanoTime());
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    OutputStream toInput() throws IOException {
        return client.getOutputStream(); // the accepted side reads what the client writes
    }

    @Test
    void afterDataTheReaderWaitsOutTheWindowThenReadsWhatCameAtOnce() throws Exception {
        ModelSockets.HookedInput input = gathering();
        toInput().write('a');
        readOnce(input).get(5, TimeUnit.SECONDS); // data came: a window opens
        long start = System.nanoTime();
        CompletableFuture<Long> second = readOnce(input);
        Thread.sleep(100); // the reader is in its window (nothing was waiting when it looked)
        toInput().write('b');
        long returned = second.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(returned - start)).as("gathered").isGreaterThanOrEqualTo(1_500);
    }

    @Test
    void aStreamReaderThatWantsDataEndsTheWindowAtOnce() throws Exception {
        ModelSockets.HookedInput input = gathering();
        toInput().write('a');
        readOnce(input).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        CompletableFuture<Long> second = readOnce(input);
        Thread.sleep(100); // the reader is in its window
        toInput().write('b');
        input.readStarts(); // e.g. a stream waiting for its first text
        long returned = second.get(5, TimeUnit.SECONDS);
        input.readDone();
        assertThat(TimeUnit.NANOSECONDS.toMillis(returned - start)).isLessThan(1_000);
    }

    @Test
    void freshenEndsTheWindowAndWaitsUntilTheReaderComesBackForMore() throws Exception {
        ModelSockets.HookedInput input = gathering();
        toInput().write('a');
        readOnce(input).get(5, TimeUnit.SECONDS);
        CompletableFuture<Long> second = readOnce(input);
        Thread.sleep(100); // the reader is in its window
        toInput().write('b');

        long start = System.nanoTime();
        Thread freshener = Thread.ofVirtual().start(() -> input.freshen(TimeUnit.SECONDS.toNanos(5)));
        long secondReturned = second.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(secondReturned - start)).as("window ended").isLessThan(1_000);
        assertThat(freshener.join(java.time.Duration.ofMillis(300))).as("still waiting: the frames read are not "
                + "delivered until the reader comes back for more").isFalse();
        readOnce(input); // the reader comes back for more
        assertThat(freshener.join(java.time.Duration.ofSeconds(1))).as("released by the next read").isTrue();
    }

    @Test
    void freshenDoesNotWaitForAReaderBlockedWithNothingToRead() throws Exception {
        ModelSockets.HookedInput input = gathering();
        CompletableFuture<Long> blocked = readOnce(input); // no data at all: a plain blocking read
        Thread.sleep(100);
        long start = System.nanoTime();
        input.freshen(TimeUnit.SECONDS.toNanos(5));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(blocked).isNotDone();
        toInput().write('a');
        blocked.get(5, TimeUnit.SECONDS);
    }
}
