package desk.repl;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.delivery.Container;
import desk.engine.delivery.DeliveryReport;
import desk.engine.delivery.DeliverySpec;
import desk.engine.io.Dither;
import desk.engine.io.SampleFormat;
import desk.script.ScriptException;
import desk.script.ScriptHost;
import desk.session.Expectations;
import desk.session.LoudnessPlot;
import desk.session.MasterRender;
import desk.session.RoutingView;
import desk.session.Scheduler;
import desk.session.Session;
import desk.session.Tail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code desk run FILE.js|FILE.py}: runs a script against the engine. With {@code --offline} it then renders
 * S seconds of the master (to {@code --out} when given), running the script's scheduled functions before each
 * block so their changes land on their exact samples; with the live backend it plays S seconds after the
 * script while the control loop runs them. Exit status 0 on success; 1 with one line on a script error, when
 * an {@code expect} check failed (each failed check is named; {@code --junit} writes a JUnit report), or when
 * a scheduled function or callback failed or overran its budget (each is named with its script line as it
 * happens, cancelled, and the run goes on; {@code --keep-going} keeps the status 0 for live use).
 * With {@code --session DIR} takes are recorded into DIR's {@code takes/}; a record pass still under way when
 * the run ends is stopped and its files closed before the command returns. With {@code --graph FILE} the routing
 * the script made is written as a graph (see {@link GraphFile}) before anything plays.
 * <p>
 * Threads: the main thread; the script and its scheduled functions run on the script host's thread.
 */
@Command(name = "run", description = "Run a JavaScript or Python script against the engine.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The script: FILE.js or FILE.py.")
    Path script;

    @Option(names = "--offline", description = "Render offline, faster than real time, instead of playing live.")
    boolean offline;

    @Option(names = "--seconds", description = "Seconds to render (offline) or to play after the script (live); default 0.")
    double seconds;

    @Option(names = "--out", description = "The file the offline render writes: WAV, Broadcast Wave or FLAC.")
    Path out;

    @Option(names = "--stems", paramLabel = "DIR", description = "With --offline: render --seconds as stems into DIR"
            + " (made if missing): one WAV per track and bus, what its output adds to the bus it feeds, and"
            + " master.wav, all the same length and lined up with the master.")
    Path stems;

    @Option(names = "--stem-point", paramLabel = "post-fader|pre-fader", defaultValue = "post-fader", description =
            "Where --stems are taken: after each strip's fader (what it adds to the bus it feeds, the default) or"
            + " before it (its own signal after trim and inserts, on its own channels).")
    String stemPoint;

    @Option(names = "--tail", paramLabel = "auto|SECONDS", description = "After --seconds, stops the transport and"
            + " renders on while the mix rings out (reverbs, delays), into --out or --stems: at most what the"
            + " inserts report (auto) or SECONDS, ending early once everything is below --tail-silence.")
    String tail;

    @Option(names = "--tail-silence", paramLabel = "DBFS", defaultValue = "-90", description = "The level below"
            + " which a tail counts as silent (default ${DEFAULT-VALUE} dBFS).")
    double tailSilence;

    @Option(names = "--format", paramLabel = "wav|bwf|flac", description = "File format of --out (default: from"
            + " its name: .flac is flac, .bwf is bwf, anything else wav).")
    String format;

    @Option(names = "--bits", paramLabel = "16|24|32f", description = "Sample format of --out (default 24).")
    String bits;

    @Option(names = "--dither", paramLabel = "none|tpdf|shaped", description = "How --out is reduced to 16 or 24"
            + " bits (default: tpdf for 16 bits, else none).")
    String dither;

    @Option(names = "--loudness", paramLabel = "LUFS", description = "Brings --out to this integrated loudness"
            + " (-60..0), under the --true-peak ceiling.")
    Double loudness;

    @Option(names = "--true-peak", paramLabel = "DBTP", description = "Holds --out under this true peak (-24..0)"
            + " with Desk's true-peak limiter; -1 with --loudness unless given.")
    Double truePeak;

    @Option(names = "--out-rate", paramLabel = "HZ", description = "Sample rate of --out when it is not the"
            + " session's: the mix is converted (libsoxr, very high quality) before it is limited and dithered.")
    Integer outRate;

    @Option(names = "--description", paramLabel = "TEXT", description = "What --out is, for a Broadcast Wave"
            + " file's bext chunk.")
    String description;

    @Option(names = "--progress", paramLabel = "auto|bar|json|none", defaultValue = "auto", description = "How"
            + " an offline render of --out shows its progress on stderr (auto: a bar in a terminal, else none).")
    String progress;

    @Option(names = "--quiet", description = "No progress and no report line for --out.")
    boolean quiet;

    @Option(names = "--report", paramLabel = "FILE.png", description = "Draws the loudness of --out over time into"
            + " FILE.png: momentary and short-term, the integrated value and the target, the loudness range,"
            + " true-peak overs and every reading.")
    Path report;

    @Option(names = "--session", description = "The session folder (created if missing): its saved session"
            + " (session.json) is opened before the script runs; takes and saved state live there.")
    Path sessionFolder;

    @Mixin
    SessionOpenOptions opening = new SessionOpenOptions();

    @Option(names = "--junit", paramLabel = "FILE.xml", description = "Writes the script's expect checks, and"
            + " the callbacks that failed, as a JUnit XML report.")
    Path junit;

    @Option(names = "--graph", paramLabel = "FILE.svg", description = "After the script ran, writes the routing"
            + " as a graph: FILE.svg or FILE.png (drawn by Graphviz's dot) or FILE.dot.")
    Path graph;

    @Option(names = "--keep-going", description = "Live use: a scheduled function or callback that fails is"
            + " still reported and cancelled, but the run exits 0.")
    boolean keepGoing;

    /** One line per scheduled function or callback that failed during the run. */
    private final List<String> callbackErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The tail the options ask for (set once they are checked). */
    private Tail renderTail = Tail.NONE;

    /** How far ahead of the audio the live control loop runs scheduled functions, seconds. */
    static final double LIVE_LOOKAHEAD_SECONDS = 0.05;

    /** Opens the session saved in the session folder, if one is given (a missing folder is made). */
    private void openSession(Session session) {
        if (sessionFolder != null) {
            opening.open(session, sessionFolder);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds >= 0 && seconds <= 24 * 3600)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": must be 0..86400");
        }
        if (out != null && !offline && !"offline".equals(main.backend)) {
            throw new IllegalArgumentException("--out writes an offline render: add --offline");
        }
        if (stems != null && (!offline && !"offline".equals(main.backend) || out != null || !(seconds > 0))) {
            throw new IllegalArgumentException("--stems " + stems + ": renders offline for --seconds above 0, with"
                    + " the master in master.wav beside the stems: add --offline and --seconds, leave out --out");
        }
        if (!stemPoint.equals("post-fader") && !stemPoint.equals("pre-fader")) {
            throw new IllegalArgumentException("--stem-point " + stemPoint + ": use post-fader or pre-fader");
        }
        DeliverySpec delivery = deliverySpec();
        if (tail != null && out == null && stems == null) {
            throw new IllegalArgumentException("--tail is rendered into --out or --stems: add one");
        }
        renderTail = tail == null ? Tail.NONE : Tail.of(tail, tailSilence);
        RenderProgress.Mode progressMode = progressMode();
        GraphFile graphFile = graph == null ? null : GraphFile.of(graph);
        if (sessionFolder != null) {
            Files.createDirectories(sessionFolder);
        }
        PrintStream console = main.out();
        LiveDesk.Backend backend = main.backendChoice();
        if (offline && main.engine != null) {
            throw new IllegalArgumentException("--offline renders in this process: leave out --engine");
        }
        if (offline || backend == LiveDesk.Backend.OFFLINE) {
            Engine engine = new Engine(main.sampleRate, LiveDesk.CAPTURE_PORTS);
            Session session = new Session(new LocalEngineLink(engine));
            try (engine; ScriptHost host = new ScriptHost(session, Path.of(""), main.allowIo, console, console)) {
                session.onNotice(this::say);
                openSession(session);
                int status = runScript(host);
                if (status != 0) {
                    return status;
                }
                writeGraph(graphFile, host);
                render(engine, host, session, delivery, progressMode);
                host.control(session.recorder()::finish);
            }
            return finish(session);
        }
        try (LiveDesk desk = LiveDesk.start(backend, main.jackServer, main.sampleRate, main.livePeriod(),
                main.remoteEngine());
             ScriptHost host = new ScriptHost(desk.session(), Path.of(""), main.allowIo, console, console)) {
            desk.onJackEvent(this::say);
            desk.session().onNotice(this::say);
            if (desk.remote() && desk.notice() != null) {
                say(desk.notice());
            }
            openSession(desk.session());
            int status = runScript(host);
            if (status != 0) {
                return status;
            }
            writeGraph(graphFile, host);
            java.io.PrintWriter err = spec.commandLine().getErr();
            long lookahead = Math.round(LIVE_LOOKAHEAD_SECONDS * desk.session().sampleRate());
            try (AutoCloseable loop = host.startControlLoop(lookahead, this::callbackFailed)) {
                desk.playFor(seconds);
            }
            host.control(desk.session().recorder()::finish);
            return finish(desk.session());
        }
    }

    /** Says that a scheduled function or callback failed (one line), and counts it against the run. */
    private void callbackFailed(String line) {
        callbackErrors.add(line);
        say(line);
    }

    /** One line on stderr: an event of the audio (the server gone or back), a notice or a failure. */
    private void say(String line) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        synchronized (err) {
            err.println("desk: " + line);
            err.flush();
        }
    }

    /**
     * Checks the audio, the callbacks and the script's expectations once the run is over; writes the JUnit
     * report.
     */
    private int finish(Session session) throws IOException {
        int status = checkAudio(session);
        sayWhatNeverRan(session);
        List<Expectations.Result> results = session.expectations().results();
        if (junit != null) {
            JUnitReport.write(junit, script.getFileName().toString(), results, callbackErrors);
        }
        if (!callbackErrors.isEmpty() && !keepGoing) {
            java.io.PrintWriter err = spec.commandLine().getErr();
            err.println("desk: " + script.getFileName() + ": " + callbackErrors.size() + " scheduled function"
                    + (callbackErrors.size() == 1 ? "" : "s") + " or callback" + (callbackErrors.size() == 1 ? "" : "s")
                    + " failed (--keep-going to exit 0 all the same)");
            err.flush();
            status = 1;
        }
        List<Expectations.Result> failures = session.expectations().failures();
        if (!results.isEmpty()) {
            java.io.PrintWriter err = spec.commandLine().getErr();
            for (Expectations.Result failure : failures) {
                err.println("FAILED " + failure.name() + ": " + failure.message());
            }
            err.println("desk: " + script.getFileName() + ": " + (results.size() - failures.size()) + " of "
                    + results.size() + " check" + (results.size() == 1 ? "" : "s") + " passed");
            err.flush();
        }
        return failures.isEmpty() ? status : 1;
    }

    /**
     * Says, in one line, that scheduled functions never ran, with where the first was due and where the
     * transport ended: a check inside one never ran either, and the user should know before trusting the exit
     * status.
     */
    private void sayWhatNeverRan(Session session) {
        List<Scheduler.Task> never = session.scheduler().neverRun();
        if (never.isEmpty()) {
            return;
        }
        double rate = session.sampleRate();
        say(script.getFileName() + ": " + never.size() + " scheduled function" + (never.size() == 1 ? "" : "s")
                + " never ran (the first was due at " + Scheduler.seconds(never.get(0).next(), rate)
                + " s; the transport ended at " + Scheduler.seconds(session.transportSample(), rate) + " s"
                + (session.transportSample() == 0 ? ", and never started: start it with session.play()" : "")
                + "; a longer --seconds renders further)");
    }

    /** Runs the script; returns the status a script's own exit asked for (0 when it just ended). */
    private int runScript(ScriptHost host) {
        try {
            host.run(script);
            return 0;
        } catch (ScriptException e) {
            if (e.getCause() instanceof org.graalvm.polyglot.PolyglotException failure && failure.isExit()) {
                if (e.exitStatus() != 0) {
                    spec.commandLine().getErr().println("desk: " + script.getFileName() + " exited with status "
                            + e.exitStatus());
                }
                return e.exitStatus();
            }
            throw e;
        }
    }

    /** Writes the routing as the script left it to {@code --graph}'s file, if given; says so when dot is missing. */
    private void writeGraph(GraphFile graphFile, ScriptHost host) throws IOException {
        if (graphFile == null) {
            return;
        }
        String[] dot = new String[1];
        host.control(() -> dot[0] = RoutingView.dot(host.session()));
        String notice = graphFile.write(dot[0], GraphFile.DOT_COMMAND);
        if (notice != null) {
            say(notice);
        }
    }

    /** Fails the run when audio processing failed during it (failing nodes were bypassed). */
    private static int checkAudio(Session session) {
        long failures = session.link().failures();
        if (failures > 0) {
            throw new IllegalStateException("audio processing failed " + failures + " time"
                    + (failures == 1 ? "" : "s") + " (failing nodes were bypassed): "
                    + Main.oneLine(session.link().lastFailure()));
        }
        return 0;
    }

    /**
     * Renders offline; says in one line when a track's input is a capture port (silent offline) and when the
     * master never rose above silence, so a silent render is never a silent surprise.
     */
    private void render(Engine engine, ScriptHost host, Session session, DeliverySpec delivery,
                        RenderProgress.Mode progressMode) throws IOException {
        long frames = Math.round(seconds * main.sampleRate);
        int block = main.offlineBlock();
        for (desk.session.Track track : session.tracks()) {
            for (Object input : track.input()) {
                if (input instanceof String port) {
                    say(track.name() + "'s input is the capture port " + port + ", which is silent offline: feed it"
                            + " a generator or session.file(...) to hear it in a render");
                    break;
                }
            }
        }
        if (stems != null) {
            List<desk.session.Strip> strips = new java.util.ArrayList<>(session.tracks());
            strips.addAll(session.buses());
            host.control(() -> session.exportStems(stems, seconds, strips, stemPoint.equals("pre-fader"), renderTail));
            say("stems of " + strips.size() + " strips and the master in " + stems);
            return;
        }
        float[] loudest = {0};
        OfflineRenderer renderer = new OfflineRenderer(engine);
        java.util.function.LongConsumer control = horizon -> {
            try {
                host.control(() -> session.tick(horizon));
            } catch (ScriptException failure) {
                if (!(failure.getCause() instanceof desk.session.CallbackFailure)) {
                    throw failure;
                }
                callbackFailed(failure.getMessage());
            }
        };
        if (out == null) {
            renderer.render(frames, BlockSizes.fixed(block), (master, count) -> peak(master, count, loudest), control);
        } else {
            java.io.PrintWriter err = spec.commandLine().getErr();
            DeliveryReport delivered = MasterRender.render(session, "--out", out, frames, block, delivery, renderTail,
                    control,
                    new RenderProgress(progressMode, err, main.sampleRate, System::nanoTime));
            loudest[0] = (float) desk.engine.dsp.Decibels.toGain(delivered.samplePeakDbfs());
            if (!quiet) {
                say(delivered.summary());
            }
            if (report != null) {
                LoudnessPlot.draw(report, LoudnessPlot.Readings.of(delivered));
            }
        }
        if (frames > 0 && loudest[0] < SILENCE) {
            say("the render is silent: the master never rose above -120 dBFS in " + seconds + " s");
        }
    }

    /**
     * The delivery the --out options ask for; refused in one line when one is wrong or is given without --out.
     */
    private DeliverySpec deliverySpec() {
        if (out == null) {
            String given = format != null ? "--format" : bits != null ? "--bits" : dither != null ? "--dither"
                    : loudness != null ? "--loudness" : truePeak != null ? "--true-peak" : outRate != null ? "--out-rate"
                    : description != null ? "--description" : report != null ? "--report" : null;
            if (given != null) {
                throw new IllegalArgumentException(given + " is for the file an offline render writes: add --out FILE");
            }
            return null;
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--out " + out + ": give --seconds, how long to render");
        }
        Container container;
        if (format != null) {
            container = Container.parse(format);
        } else {
            try {
                container = Container.forFile(out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--out " + e.getMessage());
            }
        }
        SampleFormat sampleFormat = SampleFormat.parse(bits == null ? "24" : bits);
        return new DeliverySpec(container, sampleFormat,
                dither == null ? DeliverySpec.defaultDither(sampleFormat) : Dither.Kind.parse(dither),
                loudness == null ? Double.NaN : loudness, truePeak == null ? Double.NaN : truePeak,
                description == null ? "" : description, 0, outRate == null ? 0 : outRate);
    }

    /** How the render shows its progress: --quiet and none show nothing; auto shows a bar in a terminal. */
    private RenderProgress.Mode progressMode() {
        return switch (progress.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> quiet || System.console() == null ? RenderProgress.Mode.NONE : RenderProgress.Mode.BAR;
            case "bar" -> quiet ? RenderProgress.Mode.NONE : RenderProgress.Mode.BAR;
            case "json" -> quiet ? RenderProgress.Mode.NONE : RenderProgress.Mode.JSON;
            case "none" -> RenderProgress.Mode.NONE;
            default -> throw new IllegalArgumentException("--progress " + progress + ": use auto, bar, json or none");
        };
    }

    /** Below this the master counts as silent: -120 dBFS. */
    private static final float SILENCE = 1e-6f;

    /** Keeps in {@code loudest[0]} the largest magnitude of the master so far. */
    private static void peak(float[][] master, int count, float[] loudest) {
        for (float[] channel : master) {
            for (int i = 0; i < count; i++) {
                loudest[0] = Math.max(loudest[0], Math.abs(channel[i]));
            }
        }
    }
}
