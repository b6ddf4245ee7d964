package desk.repl;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.DummyBackend;
import desk.session.Session;

/**
 * A session over an engine that runs in real time on a backend, for as long as it is open.
 * <p>
 * Threads: the control thread that opened it.
 */
final class LiveDesk implements AutoCloseable {
    /** Capture ports of the built-in backends, as on a typical 8-input interface (silent without a device). */
    static final int CAPTURE_PORTS = 8;

    private final Session session;
    private final DummyBackend backend;

    private LiveDesk(Session session, DummyBackend backend) {
        this.session = session;
        this.backend = backend;
    }

    /** Starts an engine at {@code sampleRate} on the dummy backend with {@code period}-frame periods. */
    static LiveDesk startDummy(int sampleRate, int period) {
        Engine engine = new Engine(sampleRate, CAPTURE_PORTS);
        DummyBackend backend = new DummyBackend(engine, period);
        backend.start();
        return new LiveDesk(new Session(new LocalEngineLink(engine)), backend);
    }

    Session session() {
        return session;
    }

    long periods() {
        return backend.periods();
    }

    long xruns() {
        return backend.xruns();
    }

    /** Returns once the engine has played {@code seconds} more seconds of audio, by the engine's own clock. */
    void playFor(double seconds) throws InterruptedException {
        long until = session.link().position() + Math.round(seconds * session.sampleRate());
        while (session.link().position() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(backend.periodFrames() * 1_000_000_000L / session.sampleRate());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public void close() {
        backend.close();
    }
}
