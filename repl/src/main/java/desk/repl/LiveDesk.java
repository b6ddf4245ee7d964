package desk.repl;

import desk.engine.BuiltInInterface;
import desk.engine.Engine;
import desk.engine.EngineException;
import desk.engine.LocalEngineLink;
import desk.engine.backend.DummyBackend;
import desk.engine.backend.JackBackend;
import desk.engine.backend.JackPresence;
import desk.engine.backend.JavaSoundBackend;
import desk.engine.server.NetworkEngineLink;
import desk.engine.server.RemoteEngine;
import desk.engine.server.RemoteEngineLink;
import desk.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A session over an engine that runs in real time on a backend, for as long as it is open: on a JACK server,
 * with the engine in a process of its own that this desk supervises, or in this process on a built-in
 * backend, when asked for or as the embedded default when no JACK server answers: Java Sound output when a
 * device plays the session's rate, else the dummy clock.
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
        /** Java Sound output: real time on an output device of the JVM's sound system. */
        JAVASOUND,
        /** No clock: the engine runs only when rendering. */
        OFFLINE;

        /** The backend called {@code name} on the command line, or a refusal naming the choices. */
        static Backend parse(String name) {
            for (Backend backend : values()) {
                if (backend.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return backend;
                }
            }
            throw new IllegalArgumentException("--backend " + name + ": must be jack, dummy, javasound or offline");
        }
    }

    private final Session session;
    private final AutoCloseable backend;
    private final int periodFrames;
    private final String notice;
    private final RemoteEngineLink jack;
    private final JavaSoundBackend javaSound;

    private LiveDesk(Session session, AutoCloseable backend, int periodFrames, String notice, RemoteEngineLink jack,
                     JavaSoundBackend javaSound) {
        this.session = session;
        this.backend = backend;
        this.periodFrames = periodFrames;
        this.notice = notice;
        this.jack = jack;
        this.javaSound = javaSound;
    }

    /**
     * Starts an engine on {@code backend} (null: JACK if a server answers, else the embedded default), on the
     * JACK server {@code jackServer} (null: the default one); {@code sampleRate} and {@code period} apply to
     * the built-in backends, JACK's come from its server. Java Sound asked for and not there is refused in one
     * line naming what was looked for and the other backends.
     */
    static LiveDesk start(Backend backend, String jackServer, int sampleRate, int period) {
        return start(backend, jackServer, sampleRate, period, null);
    }

    /** As {@link #start(Backend, String, int, int)}, or, with {@code remote}, on that engine on the network. */
    static LiveDesk start(Backend backend, String jackServer, int sampleRate, int period, RemoteEngine remote) {
        if (remote != null) {
            return startNetwork(remote);
        }
        if (backend == null && !JackPresence.serverMayAnswer()) {
            return startEmbedded(sampleRate, period, "No JACK server answered ("
                    + JackPresence.noServerRunning(JackPresence.serverLabel(jackServer)) + ")");
        }
        if (backend == Backend.JACK || backend == null) {
            try {
                RemoteEngineLink jack = RemoteEngineLink.start(jackServer, JackBackend.DEFAULT_CLIENT_NAME);
                Session session = new Session(jack, jack);
                return new LiveDesk(session, jack, jack.latency().bufferFrames(), null, jack, null);
            } catch (EngineException e) {
                if (backend == Backend.JACK) {
                    throw e;
                }
                return startEmbedded(sampleRate, period, "No JACK server answered (" + e.getMessage() + ")");
            }
        }
        if (backend == Backend.OFFLINE) {
            Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
            Session session = new Session(new LocalEngineLink(engine), new BuiltInInterface(
                    "the offline backend (no clock: nothing plays until rendered) at " + sampleRate + " Hz",
                    CAPTURE_PORTS, sampleRate, 0, () -> 0));
            return new LiveDesk(session, engine::close, period, null, null, null);
        }
        Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
        if (backend == Backend.JAVASOUND) {
            try {
                return startJavaSound(engine, JavaSoundBackend.open(engine, period), null);
            } catch (EngineException e) {
                throw new EngineException("--backend javasound: " + e.getMessage() + "; --backend dummy plays"
                        + " without a device, jack on a JACK server, offline renders to files");
            }
        }
        return startDummy(engine, period, null);
    }

    /**
     * Drives the engine on the network {@code remote}; takes up the session it kept, if the desk before left
     * one. The notice says whose desk it took over and how many connections the engine refused for a wrong token.
     */
    private static LiveDesk startNetwork(RemoteEngine remote) {
        NetworkEngineLink link = NetworkEngineLink.connect(remote);
        try {
            Session session = new Session(link, link);
            List<String> notices = new ArrayList<>();
            if (link.tookOverFrom() != null) {
                notices.add("took the engine over from " + link.tookOverFrom());
            }
            if (link.keptSession() != null) {
                session.takeUp(link.keptSession());
                notices.add("took up the session the engine played: " + session.tracks().size() + " tracks, "
                        + session.buses().size() + " buses");
            }
            if (link.refusedConnections() > 0) {
                notices.add("the engine has refused " + link.refusedConnections()
                        + " connections with a wrong token since it started");
            }
            return new LiveDesk(session, link, link.latency().bufferFrames(),
                    notices.isEmpty() ? null : String.join("; ", notices) + ".", link, null);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /**
     * The embedded default, after {@code reason}: Java Sound output when a device plays the session's rate,
     * else the dummy clock; the notice says which and why.
     */
    private static LiveDesk startEmbedded(int sampleRate, int period, String reason) {
        Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
        JavaSoundBackend output;
        try {
            output = JavaSoundBackend.open(engine, period);
        } catch (EngineException e) {
            return startDummy(engine, period, reason + "; " + e.getMessage()
                    + ": playing on the built-in dummy backend, without sound.");
        }
        return startJavaSound(engine, output, reason + ": playing on Java Sound output \"" + output.deviceName()
                + "\".");
    }

    /** Starts {@code engine} on the Java Sound line {@code output}, which counts its xruns. */
    private static LiveDesk startJavaSound(Engine engine, JavaSoundBackend output, String notice) {
        output.start();
        Session session = new Session(new LocalEngineLink(engine), new BuiltInInterface(output.describe(),
                CAPTURE_PORTS, engine.sampleRate(), output.periodFrames(), output.bufferFrames(), output::xruns));
        return new LiveDesk(session, () -> {
            output.close();
            engine.close();
        }, output.periodFrames(), notice, null, output);
    }

    /**
     * Starts {@code engine} on the dummy backend with {@code period}-frame periods. The dummy clock has no
     * device, so no buffer can run over or under: it reports no xruns.
     */
    private static LiveDesk startDummy(Engine engine, int period, String notice) {
        DummyBackend backend = new DummyBackend(engine, period);
        backend.start();
        Session session = new Session(new LocalEngineLink(engine), new BuiltInInterface("the dummy backend (no JACK"
                + " server needed) at " + engine.sampleRate() + " Hz, " + period + "-frame periods", CAPTURE_PORTS,
                engine.sampleRate(), period, () -> 0));
        return new LiveDesk(session, () -> {
            backend.close();
            engine.close();
        }, period, notice, null, null);
    }

    Session session() {
        return session;
    }

    /** Whether the engine is one on the network, which this desk drives but did not start. */
    boolean remote() {
        return jack instanceof NetworkEngineLink;
    }

    /**
     * One line saying the desk fell back to the embedded default and why, or, on an engine on the network, whose
     * session it took up and from whom; else null.
     */
    String notice() {
        return notice;
    }

    /**
     * Passes each event of the backend (server gone, buffer size changed, output device failed) to
     * {@code listener}, as one line.
     */
    void onEvent(Consumer<String> listener) {
        if (jack != null) {
            jack.onEvent(listener);
        }
        if (javaSound != null) {
            javaSound.onEvent(listener);
        }
    }

    /**
     * Passes each event of the JACK engine (server gone, engine process lost, reconnected, buffer size or
     * rate changed) to {@code listener}, as one line; nothing on the other backends.
     */
    void onJackEvent(Consumer<String> listener) {
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

    /**
     * Returns once the engine has played {@code seconds} more seconds of audio, by the engine's own clock
     * (a fresh engine after a lost one counts on from where the last stopped; the time without one does not
     * count); throws {@link EngineException} with the device's line if the Java Sound output fails meanwhile.
     */
    void playFor(double seconds) throws InterruptedException {
        long remaining = Math.round(seconds * session.sampleRate());
        long last = session.link().position();
        while (remaining > 0) {
            long now = session.link().position();
            if (now >= last) {
                remaining -= now - last;
            }
            last = now;
            if (remaining <= 0) {
                break;
            }
            if (javaSound != null && javaSound.failure() != null) {
                throw new EngineException(javaSound.failure());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(periodFrames * 1_000_000_000L / session.sampleRate());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            session.leaveNodes();
            session.leaveWithEngine();
        } finally {
            backend.close();
        }
    }
}
