package desk.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.backend.JackBackend;
import desk.engine.server.EngineAllocation;
import desk.engine.server.RemoteEngineLink;
import desk.script.Language;
import desk.script.ScriptHost;
import desk.session.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code desk bench --jack --soak}: does the engine process collect garbage while a session plays and a
 * script keeps changing it? The engine runs in its own process, as live sessions have it, with its garbage
 * collections logged to a file ({@code -Xlog:gc*}); the benchmark mix (see {@link BenchCommand}) plays while
 * a script moves every track's fader on a grid of the transport (every 10 ms unless told otherwise), through
 * the live control loop, which also polls the engine's position, transport and disk as {@code desk run} does
 * (with a callback budget of 5 s: a loaded machine may take longer than the default 100 ms to move them all).
 * After a warm-up the engine's own figures and the GC log are read, and again at the end: the collections
 * in between (0 is the aim), and the bytes allocated by the audio thread per callback, by the server thread
 * per request and by the whole engine process.
 * <p>
 * Threads: the main thread; the script and the control loop on the script host's thread.
 */
final class GcSoak {
    /** A collection in the unified GC log: each has an id, "GC(n)", on every line about it. */
    private static final Pattern COLLECTION = Pattern.compile("GC\\((\\d+)\\)");
    /** A collection's summary line: its id, then its kind, cause, heap before and after, and pause. */
    private static final Pattern SUMMARY = Pattern.compile("\\[gc +\\] GC\\((\\d+)\\) (.*)$");
    private static final String SCRIPT = """
            const tracks = session.tracks;
            session.callbackBudget = 5000;
            let moves = 0;
            let step = 0;
            session.play();
            session.every(%s, () => {
              step++;
              for (let i = 0; i < tracks.length; i++) {
                tracks[i].fader = -12 + 6 * Math.sin(step / 50 + i);
              }
              moves += tracks.length;
            });
            """;

    private final String server;
    private final int tracks;
    private final int channels;
    private final double seconds;
    private final double warmUp;
    private final double movePeriod;
    private final boolean meters;
    private final Path gcLog;

    /**
     * A soak of {@code tracks} tracks on the JACK server {@code server} (null: the default), measured for
     * {@code seconds} after {@code warmUp} seconds, moving the faders every {@code movePeriod} seconds;
     * {@code gcLog} is where the engine's GC log goes (null: a temporary file, deleted afterwards).
     */
    GcSoak(String server, int tracks, int channels, double seconds, double warmUp, double movePeriod, boolean meters,
           Path gcLog) {
        this.server = server;
        this.tracks = tracks;
        this.channels = channels;
        this.seconds = seconds;
        this.warmUp = warmUp;
        this.movePeriod = movePeriod;
        this.meters = meters;
        this.gcLog = gcLog;
    }

    /** One soak's figures, over the measured time unless said otherwise. */
    record Result(int tracks, int channels, double seconds, double warmUp, double movePeriod, long faderMoves, long requests,
                  long callbacks, long collectionsInWarmUp, long collections, long audioThreadBytes,
                  long serverThreadBytes, long processBytes, long xruns, long residentBytes,
                  long sharedMemoryBytes, List<String> collectionsSeen, Path gcLog) {
        double bytesPerCallback() {
            return (double) audioThreadBytes / Math.max(1, callbacks);
        }

        double bytesPerRequest() {
            return (double) serverThreadBytes / Math.max(1, requests);
        }
    }

    /** What was counted at one moment. */
    private record Mark(EngineAllocation allocation, long collections, long moves, long xruns) {
    }

    /** Runs the soak. */
    Result run() throws Exception {
        Path log = gcLog != null ? gcLog.toAbsolutePath() : Files.createTempFile("desk-engine-gc-", ".log");
        try {
            return run(log);
        } finally {
            if (gcLog == null) {
                Files.deleteIfExists(log);
            }
        }
    }

    private Result run(Path log) throws Exception {
        List<String> logging = List.of("-Xlog:gc*:file=\"" + log + "\"");
        try (RemoteEngineLink link = RemoteEngineLink.start(server, JackBackend.DEFAULT_CLIENT_NAME, logging);
             ScriptHost host = new ScriptHost(new Session(link, link), Path.of(""), false,
                     OutputStream.nullOutputStream(), OutputStream.nullOutputStream())) {
            Session session = host.session();
            host.control(() -> {
                BenchCommand.build(session, tracks, channels, "simple", true);
                session.metering(meters);
            });
            host.evaluate(Language.JS, SCRIPT.formatted(movePeriod), "soak.js", value -> null);
            AtomicReference<String> failure = new AtomicReference<>();
            long lookahead = Math.round(RunCommand.LIVE_LOOKAHEAD_SECONDS * session.sampleRate());
            Mark start;
            Mark end;
            try (AutoCloseable loop = host.startControlLoop(lookahead, line -> failure.compareAndSet(null, line))) {
                Thread.sleep(Math.round(warmUp * 1000));
                start = mark(link, host, log);
                Thread.sleep(Math.round(seconds * 1000));
                end = mark(link, host, log);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("the soak's script failed: " + failure.get());
            }
            if (start.allocation() == null || end.allocation() == null) {
                throw new IllegalStateException("the engine process stopped during the soak");
            }
            long resident = residentBytes(link.enginePid(), "VmRSS:");
            long shared = residentBytes(link.enginePid(), "RssShmem:");
            EngineAllocation first = start.allocation();
            EngineAllocation last = end.allocation();
            return new Result(tracks, channels, seconds, warmUp, movePeriod, end.moves() - start.moves(),
                    last.requests() - first.requests(), last.callbacks() - first.callbacks(), start.collections(),
                    end.collections() - start.collections(), last.audioThreadBytes() - first.audioThreadBytes(),
                    last.serverThreadBytes() - first.serverThreadBytes(), last.processBytes() - first.processBytes(),
                    end.xruns() - start.xruns(), resident, shared, summaries(log, start.collections()),
                    gcLog == null ? null : log);
        }
    }

    private static Mark mark(RemoteEngineLink link, ScriptHost host, Path log) throws IOException {
        EngineAllocation allocation = link.allocation();
        long moves = host.evaluate(Language.JS, "moves", "soak.js", value -> value.asLong());
        return new Mark(allocation, collections(log), moves, link.xruns());
    }

    /**
     * A resident figure of process {@code pid} from its status, bytes, or -1 if unknown: {@code VmRSS:} (what
     * {@code ps -o rss} shows) or {@code RssShmem:} (shared memory in it: JACK's port buffers, which every JACK
     * client maps).
     */
    static long residentBytes(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (pid < 0 || !Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** How many collections the GC log shows so far: the highest collection id plus one. */
    static long collections(Path log) throws IOException {
        long count = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher id = COLLECTION.matcher(line);
            if (id.find()) {
                count = Math.max(count, Long.parseLong(id.group(1)) + 1);
            }
        }
        return count;
    }

    /**
     * The summary lines of the collections from id {@code first} on, as the log gives them after the id: kind,
     * cause, heap before and after, pause (e.g. "Pause Young (Allocation Failure) 25M->15M(46M) 2.925ms").
     */
    static List<String> summaries(Path log, long first) throws IOException {
        return Files.readAllLines(log).stream().map(SUMMARY::matcher).filter(Matcher::find)
                .filter(summary -> Long.parseLong(summary.group(1)) >= first).map(summary -> summary.group(2))
                .toList();
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "soak: %d %s tracks, every fader moved every %.0f ms (%d moves,"
                        + " %d requests in %.0f s after %.0f s of warm-up); engine process: %d collections after the"
                        + " warm-up (%d during it); allocated %.2f B per callback by the audio thread (%d callbacks),"
                        + " %.2f B per request by the server thread (%d B in all), about %d B by the whole process;"
                        + " xruns %d; resident %.1f MB at the end (%.1f MB of it shared memory: JACK's port buffers)%s%s",
                r.tracks(), r.channels() == 1 ? "mono" : "stereo", r.movePeriod() * 1000, r.faderMoves(), r.requests(), r.seconds(), r.warmUp(),
                r.collections(), r.collectionsInWarmUp(), r.bytesPerCallback(), r.callbacks(), r.bytesPerRequest(),
                r.serverThreadBytes(), r.processBytes(), r.xruns(), r.residentBytes() / 1e6, r.sharedMemoryBytes() / 1e6,
                r.collectionsSeen().isEmpty() ? "" : "; collections after the warm-up: "
                        + String.join(", ", r.collectionsSeen()),
                r.gcLog() == null ? "" : "; GC log: " + r.gcLog());
    }

    static String json(Result r) throws Exception {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("mode", "jack-soak");
        node.put("tracks", r.tracks());
        node.put("channels", r.channels());
        node.put("seconds", r.seconds());
        node.put("warm_up_seconds", r.warmUp());
        node.put("move_period_ms", r.movePeriod() * 1000);
        node.put("fader_moves", r.faderMoves());
        node.put("requests", r.requests());
        node.put("callbacks", r.callbacks());
        node.put("gc_collections_in_warm_up", r.collectionsInWarmUp());
        node.put("gc_collections_after_warm_up", r.collections());
        r.collectionsSeen().forEach(node.putArray("gc_after_warm_up")::add);
        node.put("audio_thread_bytes", r.audioThreadBytes());
        node.put("alloc_bytes_per_callback", r.bytesPerCallback());
        node.put("server_thread_bytes", r.serverThreadBytes());
        node.put("alloc_bytes_per_request", r.bytesPerRequest());
        node.put("process_bytes", r.processBytes());
        node.put("xruns", r.xruns());
        node.put("resident_bytes", r.residentBytes());
        node.put("resident_shared_memory_bytes", r.sharedMemoryBytes());
        if (r.gcLog() != null) {
            node.put("gc_log", r.gcLog().toString());
        }
        return new ObjectMapper().writeValueAsString(node);
    }
}
