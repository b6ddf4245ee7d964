package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.EngineException;
import desk.engine.backend.JackPresence;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One engine and the channel to it: an engine process ({@link EngineServer}) this desk started, on a Unix
 * domain socket, or an engine listening on the network ({@link EngineListener}), on a TCP connection
 * ({@link EngineDial}). It is asked one request at a time, listened to for events, and shut down. An engine
 * that stops answering, whose server has gone, or that sends a line longer than
 * {@link LineChannel#MAX_LINE_BYTES}, is reported once to its {@link Listener}. A request longer than that is
 * refused here in one line and never sent.
 * <p>
 * Threads: {@link #call} and {@link #shutDown} serialised by the link that owns it; one reader thread of its
 * own delivers events and answers.
 */
final class EngineProcess {
    private static final int START_SECONDS = 30;
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(START_SECONDS);
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** What a process says besides its answers. Called on the process's reader thread. */
    interface Listener {
        /** One line of news from the engine (a buffer size changed, an xrun burst). */
        void event(String line);

        /**
         * The process stopped answering, or its JACK server has gone or it sent a line past the bound ({@code
         * why}, one line, else null); when the server has gone, the engine said the transport sample its audio
         * stopped at ({@code transport}, else -1).
         */
        void lost(EngineProcess process, String why, long transport);
    }

    /** Thrown when the engine process cannot answer. */
    static final class Down extends Exception {
        Down() {
            super(null, null, false, false);
        }
    }

    /** The engine process, or null for an engine on the network, which this desk did not start. */
    private final Process process;
    private final Path log;
    private final LineChannel lines;
    private final Listener listener;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private volatile boolean dead;
    private volatile boolean takenOver;

    /** An engine on {@code lines}: the process {@code process} logging into {@code log}, or (both null) one on the network. */
    EngineProcess(Process process, LineChannel lines, Path log, Listener listener) {
        this.process = process;
        this.log = log;
        this.listener = listener;
        this.lines = lines;
        Thread reader = new Thread(this::read, "desk-engine-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        String why = null;
        try {
            while (lines.readLine()) {
                JsonNode message = Protocol.JSON.readTree(lines.text());
                if (message.has("event")) {
                    if (message.path("serverGone").asBoolean() || message.path("takenOver").asBoolean()) {
                        takenOver = message.path("takenOver").asBoolean();
                        dead = true;
                        listener.lost(this, message.path("event").asText(), message.path("transport").asLong(-1));
                        return;
                    }
                    listener.event(message.path("event").asText());
                } else {
                    answers.add(message);
                }
            }
        } catch (LineChannel.TooLong e) {
            why = "the engine process sent " + e.getMessage();
        } catch (IOException e) {
            // the process went away: handled below
        }
        dead = true;
        listener.lost(this, why, -1);
    }

    /**
     * The engine's answer; an {@link EngineException} for a refusal; {@link Down} if it cannot answer. The
     * socket is an interruptible channel, which an interrupt of the writing thread would close: the caller's
     * interrupt (a script stopped with Ctrl-C) is set aside while the request is written, and kept.
     */
    JsonNode call(ObjectNode request) throws Down {
        if (dead) {
            throw new Down();
        }
        byte[] line = (Protocol.line(request) + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length - 1 > LineChannel.MAX_LINE_BYTES) {
            throw new EngineException("the engine request " + request.path("op").asText()
                    + (request.has("type") ? " " + request.path("type").asText() : "") + " is " + (line.length - 1)
                    + " bytes long: the engine channel takes at most " + LineChannel.MAX_LINE_BYTES
                    + " bytes (1 MiB) a line");
        }
        boolean interrupted = Thread.interrupted();
        try {
            lines.send(line, line.length);
        } catch (IOException e) {
            throw new Down();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return awaitAnswer(System.nanoTime() + ANSWER_TIMEOUT_NANOS);
    }

    /**
     * Waits for the answer until {@code deadline}. An interrupt of the caller (a script stopped with Ctrl-C)
     * is no sign of the engine's failure: the wait goes on and the interrupt is kept for the caller.
     */
    private JsonNode awaitAnswer(long deadline) throws Down {
        boolean interrupted = false;
        try {
            while (true) {
                JsonNode answer;
                try {
                    answer = answers.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                if (answer != null) {
                    if (answer.has("error")) {
                        throw new EngineException(answer.path("error").asText());
                    }
                    return answer.get("ok");
                }
                if (dead) {
                    throw new Down();
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new Down();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether another desk took over the engine on the network, which let this connection go. */
    boolean takenOver() {
        return takenOver;
    }

    String exitStatus() {
        if (process == null) {
            return "";
        }
        try {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return " (exit " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    String log() {
        return log == null ? "(an engine on the network keeps its own log)" : lastLine(log);
    }

    /**
     * Closes the channel, which ends an engine process (and waits for it briefly) and lets go of an engine on
     * the network, which plays on.
     */
    void shutDown() {
        dead = true;
        try {
            lines.close();
            if (process != null && !process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            kill();
        }
    }

    /** The process's id, or -1 for an engine on the network. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Ends the process at once; for an engine on the network, drops the connection (the engine plays on). */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        } else {
            dead = true;
            try {
                lines.close();
            } catch (IOException ignored) {
                // a connection that cannot even close is as gone as a closed one
            }
        }
    }

    /**
     * Starts the engine process {@code command}, which connects to {@code socket} and logs into {@code log},
     * and waits until it connects: for at most {@value #START_SECONDS} s, or with {@code wait} (the process waits
     * for the JACK server {@code serverLabel}) until {@code cancelled} says so.
     */
    static EngineProcess launch(Path socket, Path log, List<String> command, boolean wait, String serverLabel,
                                BooleanSupplier cancelled, Listener listener) {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (true) {
                SocketChannel channel = server.accept();
                if (channel != null) {
                    channel.configureBlocking(true);
                    return new EngineProcess(process, new LineChannel(channel), log, listener);
                }
                if (!process.isAlive()) {
                    throw new EngineException(process.exitValue() == EngineServer.EXIT_NO_SERVER
                            ? JackPresence.noServerRunning(serverLabel)
                            : "the engine process stopped as it started (exit " + process.exitValue() + "): "
                            + lastLine(log));
                }
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted() || (!wait && System.nanoTime() > deadline)) {
                    process.destroyForcibly();
                    throw new EngineException("the engine process did not start in time");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (IOException e) {
            throw new EngineException("cannot start the engine process: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // a leftover socket file in our own temporary folder goes with the folder on close
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(it said nothing)" : lines.getLast();
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
