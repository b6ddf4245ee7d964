package desk.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.Engine;
import desk.engine.Limits;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.fx.EqBatch;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.session.Bounce;
import desk.session.Bus;
import desk.session.Session;
import desk.session.Track;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code desk bench --offline}, {@code desk bench --jack} (see {@link JackBench}) and {@code desk bench --jack
 * --soak} (see {@link GcSoak}): mixes N stereo tracks (or mono with --mono) fed by noise, each with trim, fader,
 * balance (pan when mono) and two
 * sends (one pre-, one post-fader), through 8 group buses and 2 aux buses into the master, and reports the
 * realtime factor and the CPU time per track-second of audio.
 * <p>
 * Threads: the main thread, which also renders.
 */
@Command(name = "bench", description = "Measure the mixer: offline, realtime factor and CPU per track-second;"
        + " on JACK, callback times, DSP load, xruns and allocation; with --soak, the engine process's garbage"
        + " collections while a script moves every fader.",
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {
    static final int GROUP_BUSES = 8;
    static final int AUX_BUSES = 2;
    /** The level of the noise every track plays, dBFS. */
    static final double NOISE_LEVEL_DB = -18;

    /** A master peak below this, dBFS, means the bench measured a mix that played nothing: it fails. */
    private static final double SILENT_DB = -120;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    /** The LV2 gain plugin the plugin strip carries. */
    static final String PLUGIN = "lv2:http://plugin.org.uk/swh-plugins/amp";

    @Option(names = "--offline", description = "Render offline, as fast as the machine can.")
    boolean offline;

    @Option(names = "--jack", description = "Run on a JACK server (--jack-server NAME, else the default) in its"
            + " process callback.")
    boolean jack;

    @Option(names = "--period", description = "With --jack: run the server at this many frames per period for"
            + " the measurement (default: as it is).")
    Integer period;

    @Option(names = "--max-tracks", description = "With --jack: also find the largest track count held below 50 %%"
            + " DSP load.")
    boolean maxTracks;

    @Option(names = "--soak", description = "With --jack: run the engine in its own process, as live sessions do,"
            + " while a script moves every fader, and count the engine process's garbage collections after the"
            + " warm-up (exit status 1 if there are any).")
    boolean soak;

    @Option(names = "--move-every", paramLabel = "MS", description = "With --soak: move every fader every MS"
            + " milliseconds of the transport (default ${DEFAULT-VALUE}).", defaultValue = "10")
    double moveEvery;

    @Option(names = "--gc-log", paramLabel = "FILE", description = "With --soak: keep the engine process's GC log"
            + " (-Xlog:gc*) in FILE.")
    Path gcLog;

    @Option(names = "--tracks", description = "Number of tracks (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int tracks;

    @Option(names = "--mono", description = "Mono tracks, each panned, instead of stereo tracks with balance.")
    boolean mono;

    @Option(names = "--seconds", description = "Seconds of audio to measure (default ${DEFAULT-VALUE}).",
            defaultValue = "10")
    double seconds;

    @Option(names = "--warm-up", description = "Seconds of audio rendered first, unmeasured (default ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double warmUp;

    @Option(names = "--meters", description = "Measure with the strips' meters on (level meters everywhere, loudness"
            + " and true peak on the master).")
    boolean meters;

    @Option(names = "--loudness", description = "With --meters: measure loudness and true peak after the fader on every"
            + " track and bus too.")
    boolean loudness;

    @Option(names = "--strip", paramLabel = "simple|full|frozen|utility|plugin", description = "The tracks' strip:"
            + " simple (trim, fader, balance, sends; the default), full (adds a four-band EQ and a compressor to every"
            + " track, as peers measure a channel strip), frozen (full, then every track frozen: offline only),"
            + " utility (adds the built-in utility at -3 dB) or plugin (adds the LV2 Simple amplifier from swh-lv2"
            + " at -3 dB instead: against utility, the cost of hosting a plugin).", defaultValue = "simple")
    String strip;

    @Option(names = "--source", paramLabel = "noise|clips", description = "What every track plays: noise (a noise"
            + " generator of its own; the default) or clips (a clip of its own, a file of noise the bench writes and"
            + " removes again: offline only). Freezing is for tracks that play clips.", defaultValue = "noise")
    String source;

    @Option(names = "--session", description = "Time saving and opening a large session: --tracks tracks (default"
            + " 256 here) with a fader lane of --points points each.")
    boolean session;

    @Option(names = "--points", description = "With --session: points per lane (default ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int points;

    @Option(names = "--runs", description = "With --session: timed saves and opens (default ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int runs;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (main.engine != null || main.token != null || main.fingerprint != null || main.takeOver || main.noTls) {
            throw new IllegalArgumentException("desk bench measures an engine on this machine: --engine, --token,"
                    + " --fingerprint, --take-over and --no-tls are for a desk that drives one on the network");
        }
        if (session) {
            return session();
        }
        if (offline == jack) {
            throw new IllegalArgumentException("bench needs --offline or --jack");
        }
        if (soak && !jack) {
            throw new IllegalArgumentException("--soak needs --jack");
        }
        if (gcLog != null && !soak) {
            throw new IllegalArgumentException("--gc-log goes with --soak");
        }
        if (soak && (period != null || maxTracks)) {
            throw new IllegalArgumentException("--soak plays at the server's period and measures one track count:"
                    + " leave out --period and --max-tracks");
        }
        if (!(moveEvery >= 1 && moveEvery <= 10_000)) {
            throw new IllegalArgumentException("--move-every " + moveEvery + ": must be 1..10000 ms");
        }
        if (tracks < 1 || tracks > 4096) {
            throw new IllegalArgumentException("--tracks " + tracks + ": must be 1..4096");
        }
        if (!(seconds > 0 && seconds <= 3600) || !(warmUp >= 0 && warmUp <= 3600)) {
            throw new IllegalArgumentException("--seconds " + seconds + " and --warm-up " + warmUp
                    + ": must be above 0 (warm-up 0 or more) and at most 3600");
        }
        if (!List.of("simple", "full", "frozen", "utility", "plugin").contains(strip)) {
            throw new IllegalArgumentException("--strip " + strip + ": must be simple, full, frozen, utility or plugin");
        }
        if (jack && strip.equals("frozen")) {
            throw new IllegalArgumentException("--strip frozen: measured offline only (add --offline)");
        }
        if (!List.of("noise", "clips").contains(source)) {
            throw new IllegalArgumentException("--source " + source + ": must be noise or clips");
        }
        if (jack && source.equals("clips")) {
            throw new IllegalArgumentException("--source clips: measured offline only (add --offline)");
        }
        if (jack) {
            return jack();
        }
        int sampleRate = main.sampleRate;
        int buffer = main.offlineBlock();
        if (buffer < 1 || buffer > Limits.MAX_BLOCK) {
            throw new IllegalArgumentException("--buffer " + buffer + ": must be 1.." + Limits.MAX_BLOCK + " frames");
        }
        if (loudness && !meters) {
            throw new IllegalArgumentException("--loudness needs --meters");
        }
        Engine engine = new Engine(sampleRate, 0);
        boolean eqLanes = EqBatch.awaitTaking(60, TimeUnit.SECONDS);
        Session session = new Session(new LocalEngineLink(engine));
        long length = Math.round((warmUp + seconds + 1) * sampleRate);
        Path clips = source.equals("clips") ? writeClips(length, sampleRate) : null;
        build(session, tracks, channels(), built(), clips == null);
        if (clips != null) {
            playClips(session, clips);
        }
        Path frozen = strip.equals("frozen") ? freezeAll(session, length) : null;
        if (loudness) {
            session.tracks().forEach(track -> track.loudness("post"));
            session.buses().forEach(bus -> bus.loudness("post"));
        }
        engine.execute(new desk.engine.EngineCommand.SetMetering(meters));
        OfflineRenderer renderer = new OfflineRenderer(engine);
        float[] peak = {0f};
        OfflineRenderer.Sink keepPeak = (master, frames) -> {
            for (float[] channel : master) {
                for (int i = 0; i < frames; i++) {
                    peak[0] = Math.max(peak[0], Math.abs(channel[i]));
                }
            }
        };
        renderer.render(Math.round(warmUp * sampleRate), BlockSizes.fixed(buffer), keepPeak);
        peak[0] = 0f;

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long frames = Math.round(seconds * sampleRate);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        renderer.render(frames, BlockSizes.fixed(buffer), keepPeak);
        long wallNanos = System.nanoTime() - wallStart;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;

        double audioSeconds = (double) frames / sampleRate;
        double realtimeFactor = audioSeconds / (wallNanos / 1e9);
        double cpuPerTrackSecond = cpuNanos / 1e3 / (tracks * audioSeconds);
        double peakDb = 20 * Math.log10(peak[0]);
        if (json) {
            ObjectNode result = new ObjectMapper().createObjectNode();
            result.put("mode", "offline");
            result.put("tracks", tracks);
            result.put("channels", channels());
            result.put("strip", strip);
            result.put("source", source);
            result.put("seconds", audioSeconds);
            result.put("sample_rate", sampleRate);
            result.put("buffer", buffer);
            result.put("realtime_factor", round(realtimeFactor, 1));
            result.put("cpu_us_per_track_second", round(cpuPerTrackSecond, 2));
            result.put("master_peak_dbfs", peak[0] > 0 ? round(peakDb, 2) : null);
            result.put("meters", meters);
            result.put("loudness_everywhere", loudness);
            result.put("eq_lanes", eqLanes ? EqBatch.width() : 1);
            result.put("failures", engine.failures());
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
        } else {
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "offline mix: %d %s tracks (%s strip, playing %s), %d group + %d aux buses, %.1f s at %d Hz in %d-frame"
                            + " blocks, meters %s, %s%n"
                            + "realtime factor %.1fx, CPU %.2f us per track-second (%.3f s CPU for %.1f s of audio),"
                            + " master peak %.1f dBFS",
                    tracks, mono ? "mono" : "stereo", strip, source.equals("clips") ? "clips" : "noise generators",
                    GROUP_BUSES, AUX_BUSES, audioSeconds, sampleRate, buffer,
                    meters ? (loudness ? "on, loudness everywhere" : "on") : "off",
                    eqLanes ? "EQs " + EqBatch.width() + " channels side by side"
                            : "EQs one channel at a time (no vector API: the JVM lacks --add-modules jdk.incubator.vector)",
                    realtimeFactor, cpuPerTrackSecond, cpuNanos / 1e9, audioSeconds, peakDb));
        }
        for (Path folder : new Path[] {frozen, clips}) {
            if (folder != null) {
                try (var files = Files.walk(folder)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
        if (peakDb < SILENT_DB) {
            spec.commandLine().getErr().println(String.format(Locale.ROOT, "desk: bench: the mix measured was"
                    + " silent (its master never rose above %.0f dBFS): its figures measure nothing", SILENT_DB));
            return 1;
        }
        return engine.failures() == 0 ? 0 : 1;
    }

    /**
     * Freezes every track of {@code session} for the bench's whole length, in a session folder of its own (made
     * here, returned for removal), and starts the transport so the frozen files play.
     */
    private Path freezeAll(Session session, long end) throws IOException {
        Path folder = Files.createTempDirectory("desk-bench-");
        session.recorder().folder(folder);
        for (Track track : session.tracks()) {
            Bounce.freeze(track, end);
        }
        session.play();
        return folder;
    }

    /**
     * Writes one file of uniform noise per track, {@code frames} long, as wide as the tracks (a channel of noise
     * of its own each) and peaking at {@link #NOISE_LEVEL_DB}, in a folder of its own (made here, returned for
     * removal).
     */
    private Path writeClips(long frames, int sampleRate) throws IOException {
        Path folder = Files.createTempDirectory("desk-bench-clips-");
        float level = (float) Math.pow(10, NOISE_LEVEL_DB / 20);
        float[][] block = new float[channels()][Limits.MAX_BLOCK];
        for (int t = 0; t < tracks; t++) {
            SplittableRandom random = new SplittableRandom(t + 1);
            try (WavWriter writer = WavWriter.create(folder.resolve("clip-" + (t + 1) + ".wav"), sampleRate,
                    channels(), SampleFormat.FLOAT_32)) {
                for (long done = 0; done < frames; done += Limits.MAX_BLOCK) {
                    int count = (int) Math.min(Limits.MAX_BLOCK, frames - done);
                    for (float[] channel : block) {
                        for (int i = 0; i < count; i++) {
                            channel[i] = level * (float) (random.nextDouble() * 2 - 1);
                        }
                    }
                    writer.write(block, 0, count);
                }
            }
        }
        return folder;
    }

    /**
     * Has every track play its clip from {@code folder} from the start, and the transport roll. Monitoring goes
     * off, so that the tracks hear their clips (the default, input, hears only the live input).
     */
    private static void playClips(Session session, Path folder) {
        List<Track> all = session.tracks();
        for (int t = 0; t < all.size(); t++) {
            Track track = all.get(t);
            track.clip(folder.resolve("clip-" + (t + 1) + ".wav"), "noise " + (t + 1), false, 0, null, 0, 0, 0, 0);
            track.monitoring("off");
        }
        session.play();
    }

    private int session() throws IOException {
        if (offline || jack) {
            throw new IllegalArgumentException("--session goes alone: it measures saving and opening, not the mix");
        }
        int count = spec.commandLine().getParseResult().hasMatchedOption("--tracks") ? tracks : 256;
        if (count < 1 || count > 4096 || points < 1 || points > 1_000_000 || runs < 1 || runs > 100) {
            throw new IllegalArgumentException("--tracks " + count + ", --points " + points + ", --runs " + runs
                    + ": must be 1..4096, 1..1000000 and 1..100");
        }
        SessionBench.Result result = new SessionBench(count, points, runs, main.sampleRate).measure();
        spec.commandLine().getOut().println(json ? SessionBench.json(result) : SessionBench.line(result));
        return 0;
    }

    private int soak() throws Exception {
        GcSoak.Result result = new GcSoak(main.jackServer, tracks, channels(), seconds, warmUp, moveEvery / 1000, meters, gcLog)
                .run();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? GcSoak.json(result) : GcSoak.line(result));
        return result.collections() == 0 ? 0 : 1;
    }

    private int jack() throws Exception {
        if (soak) {
            return soak();
        }
        JackBench bench = new JackBench(main.jackServer, period, seconds, warmUp, meters, channels(), built());
        PrintWriter out = spec.commandLine().getOut();
        JackBench.Result result = bench.measure(tracks);
        JackBench.Largest largest = null;
        if (maxTracks) {
            largest = bench.maxTracks(json ? new PrintWriter(java.io.Writer.nullWriter()) : out);
        }
        if (json) {
            out.println(JackBench.json(result, largest));
        } else {
            out.println(JackBench.line(result));
            if (largest != null) {
                out.println("largest track count below " + (int) JackBench.LOAD_LIMIT + " % DSP load at "
                        + result.period() + "-frame periods: " + largest.tracks() + (largest.searchLimitReached()
                        ? " or more (the search stops at " + JackBench.SEARCH_LIMIT + " tracks)" : ""));
            }
        }
        return 0;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private int channels() {
        return mono ? 1 : 2;
    }

    /** The strip {@link #build} makes: a frozen strip is built full, then frozen. */
    private String built() {
        return strip.equals("frozen") ? "full" : strip;
    }

    /**
     * Builds the benchmark's session: the strip settings are arbitrary but not unity, so no stage is skipped;
     * a full strip adds to every track a four-band EQ (every band boosting or cutting) and a compressor that
     * works (the settings of the peer's chain in repl/bench/ecasound-strip.sh); a utility strip, the built-in
     * utility at -3 dB; a plugin strip, the LV2 Simple amplifier at -3 dB.
     * Each track plays a noise generator of its own, or, without {@code noise}, nothing yet.
     */
    static void build(Session session, int tracks, int channels, String strip, boolean noise) {
        Bus[] groups = new Bus[GROUP_BUSES];
        for (int g = 0; g < GROUP_BUSES; g++) {
            groups[g] = session.bus("Group " + (g + 1), "group", 2);
            groups[g].fader(-3);
        }
        Bus reverb = session.bus("Reverb", "aux", 2);
        Bus delay = session.bus("Delay", "aux", 2);
        for (int t = 0; t < tracks; t++) {
            Track track = session.track("Track " + (t + 1), channels);
            if (noise) {
                track.input(session.generator("noise", Map.of("level", NOISE_LEVEL_DB, "seed", t + 1)));
            }
            track.trim(-2);
            track.fader(-6);
            if (channels == 1) {
                track.pan(((t % 9) - 4) / 10.0);
            } else {
                track.balance(((t % 9) - 4) / 10.0);
            }
            track.output(groups[t % GROUP_BUSES]);
            track.send(reverb, -12, false);
            track.send(delay, -18, true);
            if (strip.equals("utility")) {
                track.insert("utility", Map.of("gain", -3.0), -1, false);
            } else if (strip.equals("plugin")) {
                track.insert(PLUGIN, Map.of("gain", -3.0), -1, false);
            } else if (strip.equals("full")) {
                Map<String, Double> bands = new java.util.LinkedHashMap<>();
                double[][] settings = {{300, -2.5}, {1000, 2}, {3000, 2.5}, {8000, 1.5}};
                for (int b = 0; b < settings.length; b++) {
                    bands.put("b" + (b + 1) + "_freq", settings[b][0]);
                    bands.put("b" + (b + 1) + "_gain", settings[b][1]);
                    bands.put("b" + (b + 1) + "_q", 1.41);
                }
                track.insert("eq", bands, -1, false);
                track.insert("compressor", Map.of("threshold", -20.0, "ratio", 3.0, "attack", 10.0, "release",
                        120.0, "makeup", 3.0), -1, false);
            }
        }
    }
}
