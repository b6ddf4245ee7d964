package desk.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.CallbackTimes;
import desk.engine.backend.JackBackend;
import desk.engine.backend.JackClients;
import desk.engine.fx.EqBatch;
import desk.session.Session;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code desk bench --jack}: the benchmark mix (see {@link BenchCommand}) run by the engine in JACK's process
 * callback, in this process with nothing else running. Reports the callback time (p50, p99, p99.9, max),
 * the DSP load (mean callback time over the period), the engine's xruns against the server's own in as
 * long with no Desk client, and the bytes allocated per callback by our code and by the binding; with
 * {@code --max-tracks}, the largest number of tracks it holds below 50 % DSP load.
 * <p>
 * Threads: the main thread; the engine runs on JACK's audio thread.
 */
final class JackBench {
    /** The DSP load the largest track count must stay below, percent. */
    static final double LOAD_LIMIT = 50;
    /**
     * The most tracks the search tries: building a session takes time that grows steeply with its size (every
     * routing change recompiles the plan), so larger sessions would take many minutes to set up.
     */
    static final int SEARCH_LIMIT = 1024;

    /** The largest track count found below the load limit, and whether the search stopped at its own limit first. */
    record Largest(int tracks, boolean searchLimitReached) {
    }

    private final String server;
    private final Integer period;
    private final double seconds;
    private final double warmUp;
    private final boolean meters;
    private final String strip;
    private final int channels;

    /** A bench on {@code server}; {@code strip} is the tracks' strip, as {@code desk bench --strip} names it. */
    JackBench(String server, Integer period, double seconds, double warmUp, boolean meters, int channels,
              String strip) {
        this.channels = channels;
        this.server = server;
        this.period = period;
        this.seconds = seconds;
        this.warmUp = warmUp;
        this.meters = meters;
        this.strip = strip;
    }

    /** One measurement. */
    record Result(int tracks, int channels, int period, int sampleRate, double seconds, long callbacks, double p50, double p99,
                  double p999, double max, double loadPercent, long xruns, long baselineXruns, double ownBytes,
                  double bindingBytes) {
    }

    /** Measures {@code tracks} tracks, with the server's baseline xruns measured first. */
    Result measure(int tracks) throws Exception {
        long baseline = JackClients.baselineXruns(server, Math.round(seconds * 1000));
        return measure(tracks, baseline);
    }

    private Result measure(int tracks, long baseline) throws Exception {
        CallbackTimes times = new CallbackTimes(1 << 22);
        try (JackBackend<Engine> backend = JackBackend.open(JackBackend.DEFAULT_CLIENT_NAME, server, times, Engine::new)) {
            int serversPeriod = backend.bufferFrames();
            if (period != null) {
                backend.requestBufferSize(period);
            }
            try {
                return measure(backend, times, tracks, baseline);
            } finally {
                backend.requestBufferSize(serversPeriod);
            }
        }
    }

    private Result measure(JackBackend<Engine> backend, CallbackTimes times, int tracks, long baseline) throws Exception {
        Session session = new Session(new LocalEngineLink(backend.engine()));
        BenchCommand.build(session, tracks, channels, strip, true);
        session.metering(meters);
        EqBatch.awaitTaking(60, TimeUnit.SECONDS);
        Thread.sleep(Math.round(warmUp * 1000));
        long xrunsBefore = backend.xruns();
        times.start();
        long threadBytesBefore = times.audioThreadAllocatedBytes();
        Thread.sleep(Math.round(seconds * 1000));
        times.stop();
        long threadBytes = times.audioThreadAllocatedBytes() - threadBytesBefore;
        long xruns = backend.xruns() - xrunsBefore;
        long[] sorted = times.sortedNanos();
        int frames = backend.bufferFrames();
        int rate = backend.engine().sampleRate();
        double mean = 0;
        for (long nanos : sorted) {
            mean += nanos;
        }
        mean /= Math.max(1, sorted.length);
        double periodNanos = frames * 1e9 / rate;
        int count = Math.max(1, times.count());
        return new Result(tracks, channels, frames, rate, seconds, times.count(), micros(sorted, 0.5), micros(sorted, 0.99),
                micros(sorted, 0.999), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e3,
                100 * mean / periodNanos, xruns, baseline, (double) times.ownBytes() / count,
                (double) Math.max(0, threadBytes - times.ownBytes()) / count);
    }

    /**
     * The largest track count whose DSP load stays below {@value #LOAD_LIMIT} %: doubles from 8 until the
     * limit is passed (or {@value #SEARCH_LIMIT} tracks are held), then halves the gap; each step is a full
     * measurement.
     */
    Largest maxTracks(PrintWriter progress) throws Exception {
        long baseline = JackClients.baselineXruns(server, Math.round(seconds * 1000));
        int below = 0;
        int above = 0;
        for (int tracks = 8; above == 0 && tracks <= SEARCH_LIMIT; tracks *= 2) {
            Result result = measure(tracks, baseline);
            progress.println(line(result));
            if (result.loadPercent() < LOAD_LIMIT) {
                below = tracks;
            } else {
                above = tracks;
            }
        }
        if (above == 0) {
            return new Largest(below, true);
        }
        while (above - below > Math.max(1, below / 16)) {
            int tracks = (below + above) / 2;
            Result result = measure(tracks, baseline);
            progress.println(line(result));
            if (result.loadPercent() < LOAD_LIMIT) {
                below = tracks;
            } else {
                above = tracks;
            }
        }
        return new Largest(below, false);
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "jack: %d %s tracks, %d-frame periods at %d Hz, %d callbacks in %.0f s:"
                        + " callback p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; DSP load %.1f %%;"
                        + " xruns %d (server alone: %d); allocated per callback: %.1f B by Desk, %.1f B by the binding",
                r.tracks(), r.channels() == 1 ? "mono" : "stereo", r.period(), r.sampleRate(), r.callbacks(), r.seconds(), r.p50(), r.p99(), r.p999(),
                r.max(), r.loadPercent(), r.xruns(), r.baselineXruns(), r.ownBytes(), r.bindingBytes());
    }

    static String json(Result r, Largest largest) throws Exception {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("mode", "jack");
        node.put("tracks", r.tracks());
        node.put("channels", r.channels());
        node.put("period", r.period());
        node.put("sample_rate", r.sampleRate());
        node.put("seconds", r.seconds());
        node.put("callbacks", r.callbacks());
        node.put("callback_us_p50", round(r.p50()));
        node.put("callback_us_p99", round(r.p99()));
        node.put("callback_us_p999", round(r.p999()));
        node.put("callback_us_max", round(r.max()));
        node.put("dsp_load_pct", round(r.loadPercent()));
        node.put("xruns", r.xruns());
        node.put("baseline_xruns", r.baselineXruns());
        node.put("alloc_bytes_per_callback", round(r.ownBytes()));
        node.put("binding_alloc_bytes_per_callback", round(r.bindingBytes()));
        if (largest != null) {
            node.put("max_tracks_below_50pct", largest.tracks());
            node.put("max_tracks_search_limit_reached", largest.searchLimitReached());
        }
        return new ObjectMapper().writeValueAsString(node);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double micros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e3;
    }
}
