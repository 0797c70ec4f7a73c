package dev.geminibot.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The floor under the scale run: the same N paced streams from the lean fake, read by nothing but an HTTP
 * client that counts {@code data:} lines; no JSON, no engine, no reply. Four readers: OkHttp with one virtual
 * thread blocked on each stream, and the JDK's {@link HttpClient} delivering every line on its selector
 * thread (a direct executor: one thread for all sockets, no hand-off), each reading every event as it
 * comes; then each reading a second's events once a second, as the bot's paced reader does once per edit.
 * What the first two cost per event is what waking a thread per event costs on this machine; what the
 * paced OkHttp reader costs per stream-second is the floor of the bot's design (one timer wake-up, one
 * thread wake-up, one socket read per answer per edit), before the bot does any work.
 */
final class TransportRun {
    /** Rounds per reader; the table shows the last (the JIT settles, the clients' connections are kept). */
    private static final int ROUNDS = Integer.getInteger("bench.transport.rounds", 2);
    /** The readers to run, by key, comma-separated ({@code bench.transport.readers}; all by default). */
    private static final List<String> READERS =
            List.of(System.getProperty("bench.transport.readers", "okhttp,jdk,okhttp-paced,jdk-paced").split(","));

    /** One way of reading the streams; {@code paced}: a second's events once a second, else each as it comes. */
    private record Reader(String key, String label, boolean okHttp, boolean paced) {
    }

    private static final List<Reader> ALL = List.of(
            new Reader("okhttp", "OkHttp, a virtual thread per stream", true, false),
            new Reader("jdk", "JDK HttpClient, selector thread", false, false),
            new Reader("okhttp-paced", "OkHttp, a virtual thread per stream, reading once a second", true, true),
            // demand for a second's lines once a second, from one timer thread
            new Reader("jdk-paced", "JDK HttpClient, selector thread, demand once a second", false, true));

    private TransportRun() {
    }

    static void run(PrintStream out, int n, int deltas, int periodMs) throws Exception {
        Table table = new Table(String.format(Locale.ROOT, "Transport floor: %,d streams x %d events, one per %d ms, "
                + "from the lean fake; the client only counts lines (last of %d rounds)", n, deltas, periodMs, ROUNDS),
                "reader", "events", "CPU us/event", "CPU us/stream-s", "wall s");
        Process server = ScaleRun.startServer(n);
        try (var stdin = server.getOutputStream()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(lines.readLine().substring(5).trim());
            String url = "http://127.0.0.1:" + port + "/v1beta/models/bench:streamGenerateContent?alt=sse";
            for (Reader reader : ALL) {
                if (!READERS.contains(reader.key())) {
                    continue;
                }
                double[] last = rounds(reader, url, n, deltas, periodMs);
                table.row(reader.label(), (long) last[0], String.format(Locale.ROOT, "%.1f", last[1]),
                        String.format(Locale.ROOT, "%.0f", last[1] * 1000.0 / periodMs),
                        String.format(Locale.ROOT, "%.1f", last[2]));
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        table.print(out);
    }

    /**
     * The reader's {@link #ROUNDS} rounds with one client, so the rounds after the first reuse its connections
     * (and only the threads that reader needs run while it is measured); the last round's figures.
     */
    private static double[] rounds(Reader reader, String url, int n, int deltas, int periodMs) throws Exception {
        double[] last = null;
        if (reader.okHttp()) {
            OkHttpClient client = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(n + 16, 5, TimeUnit.MINUTES)).readTimeout(Duration.ZERO).build();
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    last = okHttp(client, url, n, deltas, periodMs, round, reader.paced());
                }
            } finally {
                client.connectionPool().evictAll();
            }
            return last;
        }
        ScheduledExecutorService pacer = reader.paced() ? Executors.newSingleThreadScheduledExecutor() : null;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
                .build()) {
            for (int round = 0; round < ROUNDS; round++) {
                last = jdk(client, url, n, deltas, periodMs, round, pacer);
            }
        } finally {
            if (pacer != null) {
                pacer.shutdownNow();
            }
        }
        return last;
    }

    /** Events the fake sends per second of a stream (at least one). */
    private static int perSecond(int periodMs) {
        return Math.max(1, 1000 / periodMs);
    }

    private static String body(int id, int deltas, int periodMs) {
        return "{\"contents\":[{\"parts\":[{\"text\":\"bench id=" + id + " deltas=" + deltas + " period=" + periodMs + "\"}]}]}";
    }

    /** events, CPU microseconds per event, wall seconds. */
    private static double[] measure(int n, Runnable start, CountDownLatch done, AtomicLong events) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        start.run();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("streams did not end");
        }
        cpu = os.getProcessCpuTime() - cpu;
        return new double[] {events.get(), cpu / 1_000.0 / Math.max(1, events.get()), (System.nanoTime() - wall) / 1e9};
    }

    private static double[] okHttp(OkHttpClient client, String url, int n, int deltas, int periodMs, int round, boolean paced)
            throws Exception {
        AtomicLong events = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        MediaType json = MediaType.get("application/json");
        return measure(n, () -> ramp(n, id -> Thread.ofVirtual().start(() -> {
            Request request = new Request.Builder().url(url)
                    .post(RequestBody.create(body(round * 1_000_000 + id, deltas, periodMs), json)).build();
            try (Response response = client.newCall(request).execute()) {
                BufferedSource source = response.body().source();
                if (paced) {
                    readPaced(source, deltas, perSecond(periodMs), 1_000_000_000L, events);
                }
                readEvents(source, Integer.MAX_VALUE, events); // the rest, to the body's end
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                done.countDown();
            }
        })), done, events);
    }

    /**
     * Once a tick (20 ms after the tick's last event was due), the events sent by then: they are in the
     * socket's buffer already, so the reads do not wait. Stops after {@code deltas} events or at the end of
     * the body; the caller reads what is left (the body's end).
     *
     * @param perTick events due per tick (the fake sends one every {@code periodMs} from the response's start)
     */
    static void readPaced(BufferedSource source, int deltas, int perTick, long tickNanos, AtomicLong events)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        int read = 0;
        for (int tick = 1; read < deltas; tick++) {
            long wait = start + tick * tickNanos + 20_000_000L - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int want = Math.min(deltas, tick * perTick) - read;
            int got = readEvents(source, want, events);
            read += got;
            if (got < want) {
                return; // the body ended
            }
        }
    }

    /** Reads lines until {@code max} events ({@code data:} lines) or the body's end; returns how many it read. */
    private static int readEvents(BufferedSource source, int max, AtomicLong events) throws IOException {
        int read = 0;
        while (read < max) {
            String line = source.readUtf8Line();
            if (line == null) {
                break;
            }
            if (line.startsWith("data:")) {
                read++;
                events.incrementAndGet();
            }
        }
        return read;
    }

    /**
     * @param pacer null: every line as it arrives; otherwise demand for a second's events (two lines each) once
     *              a second from this timer thread, so the client reads the socket only then
     */
    private static double[] jdk(HttpClient client, String url, int n, int deltas, int periodMs, int round,
                                ScheduledExecutorService pacer) throws Exception {
        AtomicLong events = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        int perSecond = perSecond(periodMs);
        return measure(n, () -> ramp(n, id -> client.sendAsync(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(round * 1_000_000 + id, deltas, periodMs))).build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    private ScheduledFuture<?> pacing;

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        if (pacer == null) {
                            subscription.request(Long.MAX_VALUE);
                            return;
                        }
                        int[] seconds = {0};
                        pacing = pacer.scheduleAtFixedRate(() -> {
                            if (++seconds[0] * perSecond >= deltas) {
                                subscription.request(Long.MAX_VALUE);
                                pacing.cancel(false);
                            } else {
                                subscription.request(2L * perSecond);
                            }
                        }, 1_020, 1_000, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onNext(String line) {
                        if (line.startsWith("data:")) {
                            events.incrementAndGet();
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        error.printStackTrace();
                        done.countDown();
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                    }
                }))), done, events);
    }

    /** Starts the streams over half a millisecond each, as the scale run ramps. */
    private static void ramp(int n, java.util.function.IntConsumer start) {
        for (int id = 0; id < n; id++) {
            start.accept(id);
            if (id % 2 == 1) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
