#!/usr/bin/env python3
"""Buckets JFR CPU-time samples of the bot by what the stack is doing (docs/BENCHMARKS.md, section 3).

Usage:
  java -XX:StartFlightRecording=filename=scale.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms \
      --sun-misc-unsafe-memory-access=allow -jar bench/target/benchmarks.jar scale --n 1000
  jfr print --json --stack-depth 64 --events jdk.CPUTimeSample scale.jfr > scale.json
  bench/scripts/jfr_hotspots.py scale.json [FROM-ISO-TIME [TO-ISO-TIME [ROWS]]]

Pass FROM (e.g. 2026-11-24T13:55:19) to skip the warm-up. A sample whose leaf is a socket read or epoll call
counts there; otherwise the first rule that matches any frame wins (so JSON decoding under the SSE reader
counts as JSON), and the generic rules (virtual threads, timers, OkHttp, okio) only match leaf-first.
"""
import json, sys, collections
data = json.load(open(sys.argv[1]))
t0 = sys.argv[2] if len(sys.argv) > 2 else ''
t1 = sys.argv[3] if len(sys.argv) > 3 else 'z'
rules = [
 ('SocketDispatcher.read0', 'socket read() syscall (one per SSE event)'),
 ('SocketDispatcher.write0', 'socket write() syscall'),
 ('EPoll', 'epoll (poller wait/ctl: register fd per parked read)'),
 ('Poller.', 'poller bookkeeping'),
 ('NioSocketImpl.park', 'socket park'),
 ('AsyncTimeout', 'okio AsyncTimeout enter/exit per socket read (read timeout)'),
 ('GeminiDecoder', 'JSON decode (Jackson readTree + GeminiDecoder)'),
 ('Json.', 'JSON decode (Jackson readTree + GeminiDecoder)'),
 ('jackson', 'JSON decode (Jackson readTree + GeminiDecoder)'),
 ('RealConnectionPool', 'OkHttp connection pool scans'),
 ('ServerSentEventReader', 'SSE framing + HTTP chunked decoding (okio/okhttp)'),
 ('SseReader', 'SSE framing + HTTP chunked decoding (okio/okhttp)'),
 ('IdleWatchdog', 'idle watchdog (one thread for all streams)'),
 ('Http1ExchangeCodec', 'SSE framing + HTTP chunked decoding (okio/okhttp)'),
 ('RealBufferedSource', 'SSE framing + HTTP chunked decoding (okio/okhttp)'),
 ('okio.', 'SSE framing + HTTP chunked decoding (okio/okhttp)'),
 ('StreamingReply', 'StreamingReply (append, cut, render, arm)'),
 ('TokenBucketPacer', 'pacer'),
 ('SystemScheduler', 'reply timers (Scheduler)'),
 ('LoadSink', 'bench sink + fake platform'),
 ('ScaleRun', 'bench driver (main)'),
 ('DelayScheduler', 'timers (ForkJoinPool DelayScheduler / STPE)'),
 ('ScheduledThreadPoolExecutor', 'timers (ForkJoinPool DelayScheduler / STPE)'),
 ('okhttp3', 'OkHttp call (request, headers, interceptors)'),
 ('SseModelStream', 'model stream other'),
 ('ChatEngine', 'engine other'),
 ('Continuation', 'virtual-thread mount/unmount/scheduling'),
 ('VirtualThread', 'virtual-thread mount/unmount/scheduling'),
 ('ForkJoinPool', 'virtual-thread mount/unmount/scheduling'),
 ('logback', 'logging'),
]
c = collections.Counter(); tot = 0; thr = collections.Counter()
for e in data['recording']['events']:
    v = e['values']
    if not (t0 <= v['startTime'] <= t1): continue
    fs = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in ((v.get('stackTrace') or {}).get('frames') or [])]
    tot += 1
    cat = None
    leaf = fs[0] if fs else ''
    if 'SocketDispatcher' in leaf or 'EPoll' in leaf:
        m = [n for p, n in rules if p in leaf]; cat = m[0] if m else None
    if not cat:
        for p, name in rules:
            if p in ('Continuation', 'VirtualThread', 'ForkJoinPool', 'DelayScheduler', 'ScheduledThreadPoolExecutor', 'okhttp3', 'okio.', 'ChatEngine', 'SseModelStream'):
                continue
            if any(p in f for f in fs):
                cat = name; break
    if not cat:
        for f in fs:
            for p, name in rules:
                if p in f:
                    cat = name; break
            if cat: break
    if not cat:
        cat = 'other: ' + (fs[0] if fs else '<no stack>')
    c[cat] += 1
print('samples', tot)
for k, n in c.most_common(int(sys.argv[4]) if len(sys.argv) > 4 else 25):
    print('%5.1f%% %5d  %s' % (100.0*n/tot, n, k))
