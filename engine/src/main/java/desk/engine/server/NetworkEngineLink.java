package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.KeptSession;
import desk.engine.Limits;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.StreamSupport;

/**
 * An engine on the network ({@link EngineListener}, {@code desk engine --listen}) as the desk's engine link:
 * {@link RemoteEngineLink}'s requests, over a TCP connection with TLS and a token ({@link EngineDial}) instead
 * of a process of its own.
 * <p>
 * The engine outlives the link. The session leaves its state with it after every change
 * ({@link #keepSession}); a desk that connects to an engine that kept one takes it up ({@link #keptSession}).
 * When the link drops, the engine plays on with the last state; the link says so in one event and dials again
 * every second. Once it is back, the session is as it was if nothing changed on either side meanwhile, and
 * nothing is sent; otherwise this desk's session replaces the one the engine played (what it made is taken
 * out, then the session replays into it). When another desk takes the engine over, this link lets go and
 * does not dial again.
 * <p>
 * Threads: as {@link RemoteEngineLink}.
 */
public final class NetworkEngineLink extends RemoteEngineLink {
    /** The name ports taken out of the way get until they are taken away, with their strip's id after it. */
    private static final String ASIDE = "taken-up-";
    private final RemoteEngine target;
    private final String deskId = UUID.randomUUID().toString();
    private volatile JsonNode hello;
    private KeptSession keptAtStart;
    /** The serial number of the state this desk last left with the engine. */
    private long keptSerial;
    /** Commands the session sent while the link was down: they did not reach the engine. */
    private long missed;

    private NetworkEngineLink(RemoteEngine target) throws IOException {
        super("engine at " + target.address(), null);
        this.target = target;
    }

    /**
     * Connects to the engine {@code target} and says hello; reads what session state it kept. Throws
     * {@link EngineException} with one line when it does not answer or refuses.
     */
    public static NetworkEngineLink connect(RemoteEngine target) {
        NetworkEngineLink link;
        try {
            link = new NetworkEngineLink(target);
        } catch (IOException e) {
            throw new EngineException("cannot make a folder for the engine link: " + e.getMessage());
        }
        try {
            EngineDial.Dialled dialled = EngineDial.dial(target, link.deskId, target.takeOver(), link.listener());
            link.hello = dialled.hello();
            link.adopt(dialled.engine());
            link.keptAtStart = link.readKept();
        } catch (EngineException e) {
            link.close();
            throw e;
        }
        return link;
    }

    /** How many connections the engine has refused for a wrong token, as it said when this link last connected. */
    public long refusedConnections() {
        return hello.path("refused").asLong();
    }

    /** The desk this one took the engine over from, in words, or null. */
    public String tookOverFrom() {
        JsonNode from = hello.path("tookOver");
        return from.isTextual() ? from.asText() : null;
    }

    @Override
    public boolean keepsSession() {
        return true;
    }

    @Override
    public KeptSession keptSession() {
        return keptAtStart;
    }

    /**
     * Leaves {@code document} with the engine, in chunks; while the link is down, nothing (the state left on
     * reconnecting decides).
     */
    @Override
    public synchronized void keepSession(String document) {
        if (live == null) {
            return;
        }
        int chunks = Math.max(1, (document.length() + KeptState.CHUNK_CHARS - 1) / KeptState.CHUNK_CHARS);
        long serial = ++keptSerial;
        for (int chunk = 0; chunk < chunks; chunk++) {
            String part = document.substring(chunk * KeptState.CHUNK_CHARS,
                    Math.min(document.length(), (chunk + 1) * KeptState.CHUNK_CHARS));
            if (call(Protocol.request(Operation.KEEP).put("desk", deskId).put("serial", serial).put("chunk", chunk)
                    .put("of", chunks).put("text", part), () -> null) == null && live == null) {
                return;
            }
        }
    }

    @Override
    public synchronized void execute(EngineCommand command) {
        if (live == null) {
            missed++;
        }
        super.execute(command);
    }

    /**
     * If the link is back since the last turn: resumes without a word to the engine when it played this desk's
     * last state, else replaces what it played with this session. Returns whether it did either.
     */
    @Override
    public synchronized boolean maintain() {
        EngineProcess fresh = pending;
        if (fresh == null) {
            return false;
        }
        pending = null;
        try {
            adopt(fresh);
        } catch (EngineException e) {
            fresh.kill();
            return false;
        }
        boolean unchanged = deskId.equals(hello.path("keptDesk").asText()) && hello.path("keptSerial").asLong() == keptSerial
                && missed == 0;
        if (unchanged) {
            reconnections++;
            events.accept("reconnected to the " + serverLabel + ": it played on, and the session is as it was");
            return true;
        }
        long changes = missed;
        missed = 0;
        String refusal = null;
        try {
            KeptSession kept = readKept();
            if (kept != null) {
                super.execute(new EngineCommand.HoldUpdates(true));
                try {
                    putPortsAside(kept);
                    takeOut(kept);
                } finally {
                    super.execute(new EngineCommand.HoldUpdates(false));
                }
                releasePorts(kept);
                awaitRemoval();
            }
            if (replay != null) {
                replay.run();
            }
        } catch (RuntimeException e) {
            refusal = e.getMessage();
        }
        reconnections++;
        events.accept("reconnected to the " + serverLabel + ": this desk's session replaced the one it played ("
                + (changes > 0 ? changes + " changes made here while the link was down"
                : "it was changed from elsewhere meanwhile") + ")" + (refusal == null ? "" : "; refused: " + refusal));
        return true;
    }

    @Override
    public synchronized void takeOut(KeptSession kept) {
        for (int insert : kept.masterInserts()) {
            super.execute(new EngineCommand.RemoveInsert(insert));
        }
        for (int strip : kept.strips()) {
            super.execute(new EngineCommand.RemoveStrip(strip));
        }
        for (int source : kept.sources()) {
            super.execute(new EngineCommand.RemoveSource(source));
        }
    }

    @Override
    public synchronized void putPortsAside(KeptSession kept) {
        for (int track : kept.tracks()) {
            renameTrack(track, ASIDE + track);
        }
        for (int bus : kept.directOuts()) {
            renameDirectOut(bus, ASIDE + bus);
        }
    }

    @Override
    public synchronized void releasePorts(KeptSession kept) {
        for (int track : kept.tracks()) {
            removeTrack(track);
        }
        for (int bus : kept.directOuts()) {
            removeDirectOut(bus);
        }
    }

    /**
     * Waits until what was taken out has faded and left the engine, so that the session can make its nodes
     * again under the same ids: the removal's crossfade and the largest block after it, by the engine's own
     * sample clock (two seconds of the wall clock at most, if it stops).
     */
    private void awaitRemoval() {
        long from = position();
        long samples = (long) sampleRate() * Limits.CROSSFADE_MILLISECONDS / 1000 + 2L * Limits.MAX_BLOCK;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (position() - from < samples && live != null && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Override
    String engineName() {
        return serverLabel;
    }

    @Override
    String engineWhere() {
        return "engine at " + target.address() + (target.tls() ? " over TLS" : " over loopback without TLS");
    }

    @Override
    boolean engineOutlivesLink() {
        return true;
    }

    @Override
    boolean reportLoss(EngineProcess connection, String why) {
        if (connection.takenOver()) {
            events.accept((why != null ? why : "another desk took over the engine") + ": this desk lets go of the "
                    + serverLabel + ", which plays on; start Desk with --take-over to take it back");
            return false;
        }
        events.accept("the link to the " + serverLabel + " dropped" + (why != null ? " (" + why + ")" : "")
                + ": the engine plays on with the last state; Desk dials again every second and takes up the"
                + " session where it is");
        return true;
    }

    @Override
    EngineProcess launch(boolean wait) {
        EngineDial.Dialled dialled = EngineDial.dial(target, deskId, false, listener());
        hello = dialled.hello();
        return dialled.engine();
    }

    /**
     * What the engine keeps: the document it was left, read chunk by chunk, and what the desks made, as its
     * hello answer said; null when it has neither.
     */
    private KeptSession readKept() {
        int chunks = hello.path("keptChunks").asInt();
        JsonNode made = hello.path("made");
        if (chunks == 0 && made.path("strips").isEmpty() && made.path("sources").isEmpty()
                && made.path("masterInserts").isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int chunk = 0; chunk < chunks; chunk++) {
            JsonNode part = call(Protocol.request(Operation.KEPT).put("chunk", chunk), () -> null);
            if (part == null) {
                throw new EngineException("the " + serverLabel + " went away while it handed over its session");
            }
            text.append(part.asText());
        }
        return new KeptSession(chunks == 0 ? null : text.toString(), ints(made.path("strips")),
                ints(made.path("tracks")), ints(made.path("directOuts")), ints(made.path("sources")),
                ints(made.path("masterInserts")), made.path("nextId").asInt());
    }

    private static int[] ints(JsonNode array) {
        List<JsonNode> values = StreamSupport.stream(array.spliterator(), false).toList();
        return values.stream().mapToInt(JsonNode::asInt).toArray();
    }
}
