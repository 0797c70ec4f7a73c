#!/usr/bin/env python3
"""Shares of JFR CPU-time samples by component (docs/BENCHMARKS.md, section 5.9).

Usage: bench/scripts/jfr_components.py scale.json FROM-ISO-TIME TO-ISO-TIME

Unlike jfr_hotspots.py (which buckets by the leaf), a sample counts for the first component below that any
frame of its stack belongs to, so an edit that runs inside a paced reader's hold counts as the edit, not
as the read it interrupted.
"""
import json, sys, collections
data = json.load(open(sys.argv[1]))
t0, t1 = sys.argv[2], sys.argv[3]
rules = [
    ('edit (StreamingReply.step: heal, render, pacer, sink)', ['StreamingReply.step', 'ReplyText', 'MarkdownHealer', 'LoadSink']),
    ('socket read() syscall', ['SocketDispatcher.read0']),
    ('socket write() syscall', ['SocketDispatcher.write0']),
    ('JSON (GeminiDecoder, CommonChunkReader, Jackson)', ['GeminiDecoder', 'CommonChunkReader', 'jackson']),
    ('StreamingReply append and the rest', ['StreamingReply']),
    ('pacer and throttle', ['TokenBucketPacer', 'EditThrottle', 'TurnQueue']),
    ('OkHttp call set-up and pool', ['RealCall.execute', 'RealConnectionPool', 'ConnectInterceptor', 'RealCall.enqueue']),
    ("OkHttp's HTTP/2 reader", ['Http2Reader', 'Http2Connection']),
    ('SSE and chunk framing, okio buffers', ['SseReader', 'Http1ExchangeCodec', 'okio.', 'RealBufferedSource', 'Buffer.']),
    ('epoll and pollers', ['EPoll', 'Poller']),
    ('timers', ['ScheduledThreadPoolExecutor', 'DelayScheduler']),
    ('virtual-thread mount/unmount', ['Continuation', 'VirtualThread', 'ForkJoinPool']),
    ('bench driver', ['ScaleRun', 'AnswerScript']),
    ('engine and model stream', ['ChatEngine', 'SseModelStream', 'ModelSockets']),
    ('JFR and management', ['jdk.jfr', 'management']),
]
counts = collections.Counter()
total = 0
for event in data['recording']['events']:
    values = event['values']
    if not (t0 <= values['startTime'] <= t1):
        continue
    frames = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name']
              for f in ((values.get('stackTrace') or {}).get('frames') or [])]
    total += 1
    component = next((name for name, patterns in rules
                      if any(p in frame for frame in frames for p in patterns)), 'other')
    counts[component] += 1
print('samples', total)
for name, n in counts.most_common():
    print(f'{100 * n / max(total, 1):5.1f}% {n:6d}  {name}')
