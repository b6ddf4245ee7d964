package desk.repl;

import desk.engine.BuiltInInterface;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.LocalEngineLink;
import desk.engine.backend.DummyBackend;
import desk.engine.backend.JackBackend;
import desk.engine.server.RemoteEngineLink;
import desk.session.Session;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * A session over an engine that runs in real time on a backend, for as long as it is open: on a JACK server,
 * with the engine in a process of its own that this desk supervises, or in this process on the embedded
 * default (the dummy clock) when no JACK server answers or when asked for.
 * <p>
 * Threads: the control thread that opened it; {@link #onEvent} listeners are called on the backend's threads.
 */
final class LiveDesk implements AutoCloseable {
    /** Capture ports of the built-in backends, as on a typical 8-input interface (silent without a device). */
    static final int CAPTURE_PORTS = 8;

    /** The backends to choose from on the command line. */
    enum Backend {
        /** A JACK server. */
        JACK,
        /** The dummy clock: real time, no device. */
        DUMMY,
        /** No clock: the engine runs only when rendering. */
        OFFLINE;

        /** The backend called {@code name} on the command line, or a refusal naming the choices. */
        static Backend parse(String name) {
            for (Backend backend : values()) {
                if (backend.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return backend;
                }
            }
            throw new IllegalArgumentException("--backend " + name + ": must be jack, dummy or offline");
        }
    }

    private final Session session;
    private final AutoCloseable backend;
    private final int periodFrames;
    private final String notice;
    private final RemoteEngineLink jack;

    private LiveDesk(Session session, AutoCloseable backend, int periodFrames, String notice, RemoteEngineLink jack) {
        this.session = session;
        this.backend = backend;
        this.periodFrames = periodFrames;
        this.notice = notice;
        this.jack = jack;
    }

    /**
     * Starts an engine on {@code backend} (null: JACK if a server answers, else the dummy clock), on the JACK
     * server {@code jackServer} (null: the default one); {@code sampleRate} and {@code period} apply to the
     * built-in backends, JACK's come from its server.
     */
    static LiveDesk start(Backend backend, String jackServer, int sampleRate, int period) {
        if (backend == Backend.JACK || backend == null) {
            try {
                RemoteEngineLink jack = RemoteEngineLink.start(jackServer, JackBackend.DEFAULT_CLIENT_NAME);
                Session session = new Session(jack, jack);
                return new LiveDesk(session, jack, jack.latency().bufferFrames(), null, jack);
            } catch (EngineException e) {
                if (backend == Backend.JACK) {
                    throw e;
                }
                return startDummy(sampleRate, period, "No JACK server answered (" + e.getMessage()
                        + "): playing on the built-in dummy backend.");
            }
        }
        if (backend == Backend.OFFLINE) {
            Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
            Session session = new Session(new LocalEngineLink(engine), new BuiltInInterface(
                    "the offline backend (no clock: nothing plays until rendered) at " + sampleRate + " Hz",
                    CAPTURE_PORTS, sampleRate, 0, () -> 0));
            return new LiveDesk(session, () -> { }, period, null, null);
        }
        return startDummy(sampleRate, period, null);
    }

    /** Starts an engine at {@code sampleRate} on the dummy backend with {@code period}-frame periods. */
    /** The dummy clock has no device, so no buffer can run over or under: it reports no xruns. */
    private static LiveDesk startDummy(int sampleRate, int period, String notice) {
        Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
        DummyBackend backend = new DummyBackend(engine, period);
        backend.start();
        Session session = new Session(new LocalEngineLink(engine), new BuiltInInterface("the dummy backend (no JACK"
                + " server needed) at " + sampleRate + " Hz, " + period + "-frame periods", CAPTURE_PORTS,
                sampleRate, period, () -> 0));
        return new LiveDesk(session, backend, period, notice, null);
    }

    Session session() {
        return session;
    }

    /** One line saying the desk fell back to the embedded default and why, or null. */
    String notice() {
        return notice;
    }

    /** Passes each event of the backend (server gone, buffer size changed) to {@code listener}, as one line. */
    void onEvent(Consumer<String> listener) {
        if (jack != null) {
            jack.onEvent(listener);
        }
    }

    /** Starts a fresh engine process on the JACK server and replays the session into it; one line on how it went. */
    String reconnect() {
        if (jack == null) {
            return ":reconnect applies to JACK; this desk plays on " + session.audio().describe();
        }
        return jack.reconnect(5000);
    }

    /** Returns once the engine has played {@code seconds} more seconds of audio, by the engine's own clock. */
    void playFor(double seconds) throws InterruptedException {
        long until = session.link().position() + Math.round(seconds * session.sampleRate());
        while (session.link().position() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(periodFrames * 1_000_000_000L / session.sampleRate());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public void close() throws Exception {
        backend.close();
    }
}
