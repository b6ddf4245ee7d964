package desk.engine.server;

import desk.engine.EngineException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What finds a {@link RemoteEngineLink} a new engine once it lost one: on a thread of its own it starts engine
 * processes (or dials the engine on the network) every second until one connects, saying once why not until
 * that changes, then leaves it for the link's {@code maintain} to give the session (or, with no session to
 * replay, hands it to the link at once).
 * <p>
 * Threads: {@link #start} on the thread that found the loss, {@link #stop} on the one that closes the link.
 */
final class Reconnector {
    /** How long stopping waits for a reconnection under way to give up, seconds. */
    private static final int STOP_SECONDS = 5;

    private final RemoteEngineLink link;
    private volatile Thread thread;

    Reconnector(RemoteEngineLink link) {
        this.link = link;
    }

    /** Starts looking for a new engine. */
    void start() {
        Thread looking = new Thread(this::loop, "desk-engine-supervisor");
        looking.setDaemon(true);
        thread = looking;
        looking.start();
    }

    /** Stops looking (the link is closed), waiting a little for a start under way. */
    void stop() {
        Thread looking = thread;
        if (looking != null) {
            looking.interrupt();
            try {
                looking.join(TimeUnit.SECONDS.toMillis(STOP_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        String lastRefusal = null;
        while (!link.closed) {
            EngineProcess connection;
            try {
                connection = link.launch(true);
            } catch (EngineException e) {
                if (link.closed) {
                    return;
                }
                if (!e.getMessage().equals(lastRefusal)) {
                    link.events.accept("engine: " + e.getMessage() + "; trying again every second");
                    lastRefusal = e.getMessage();
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            if (link.closed) {
                connection.shutDown();
                return;
            }
            if (link.replay != null) {
                link.pending = connection;
                return;
            }
            synchronized (link) {
                try {
                    link.adopt(connection);
                } catch (EngineException e) {
                    connection.kill();
                    continue;
                }
            }
            link.reconnections++;
            link.events.accept("reconnected to " + link.engineName());
            return;
        }
    }
}
