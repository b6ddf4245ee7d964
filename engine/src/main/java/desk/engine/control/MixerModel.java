package desk.engine.control;

import desk.engine.EngineException;
import desk.engine.NodeIds;
import desk.engine.Routing;
import desk.engine.StripKind;
import desk.engine.rt.Connection;
import desk.engine.rt.Source;
import desk.engine.rt.StripNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The control side's model of the mixer: every strip, send, source and direct out with its settings, found
 * by id without allocating, and the checks every command goes through (that an id exists and is of the
 * right kind, that a new id is free, that a route closes no loop). Also the engine's fixed rates and the
 * two flags monitoring depends on (the transport rolls, a take records).
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
public final class MixerModel {
    final int sampleRate;
    final int declickSamples;
    final int crossfadeSamples;
    final Map<Integer, StripState> strips = new LinkedHashMap<>();
    final Map<Integer, SendState> sends = new LinkedHashMap<>();
    final IdIndex<StripState> stripIndex = new IdIndex<>();
    final IdIndex<SendState> sendIndex = new IdIndex<>();
    final Map<Integer, Source> sources = new LinkedHashMap<>();
    final Map<Integer, InsertState> inserts = new LinkedHashMap<>();
    final List<DirectOutState> directOuts = new ArrayList<>();
    final StripState master;
    final StripNode playbackStrip;
    final Connection masterOutput;
    float[] masterOutputSent;
    boolean rolling;
    boolean recording;
    /** The master's output latency: what the session's processing delays the playback by, samples; read from any thread. */
    volatile int latency;

    /**
     * A model with the master alone, at {@code sampleRate} Hz, whose level changes take {@code declickSamples}
     * and whose re-routing crossfades take {@code crossfadeSamples}; the master plays into {@code playbackStrip}.
     */
    public MixerModel(int sampleRate, int declickSamples, int crossfadeSamples, StripNode playbackStrip) {
        this.sampleRate = sampleRate;
        this.declickSamples = declickSamples;
        this.crossfadeSamples = crossfadeSamples;
        this.playbackStrip = playbackStrip;
        master = new StripState(new StripNode(NodeIds.MASTER_ID, StripKind.MASTER, 2, sampleRate, declickSamples));
        master.outputId = NodeIds.NO_NODE;
        strips.put(NodeIds.MASTER_ID, master);
        stripIndex.put(NodeIds.MASTER_ID, master);
        masterOutput = new Connection(master.node, playbackStrip, false, declickSamples);
    }

    /** The strip {@code id}, refusing one that does not exist (or is being removed) by calling it {@code what}. */
    StripState strip(int id, String what) {
        StripState entry = stripIndex.get(id);
        if (entry == null || entry.removingUntil >= 0) {
            throw new EngineException(what + " " + id + " does not exist");
        }
        return entry;
    }

    /** The bus {@code id} (a group or aux bus, or the master), refusing anything else. */
    StripState bus(int id) {
        StripState entry = stripIndex.get(id);
        if (entry != null && entry.removingUntil >= 0) {
            entry = null;
        }
        if (entry == null || !entry.node.kind().isBus()) {
            throw new EngineException((entry == null ? "bus " + id + " does not exist"
                    : "strip " + id + " is a track: outputs and sends go to buses or the master"));
        }
        return entry;
    }

    /** The track {@code id}, refusing a bus. */
    StripState track(int id) {
        StripState entry = strip(id, "track");
        if (entry.node.kind() != StripKind.TRACK) {
            throw new EngineException("strip " + id + " is a bus: only tracks record and monitor inputs");
        }
        return entry;
    }

    /** The send {@code id}. */
    SendState send(int id) {
        SendState send = sendIndex.get(id);
        if (send == null) {
            throw new EngineException("send " + id + " does not exist");
        }
        return send;
    }

    /** The insert {@code id}. */
    InsertState insert(int id) {
        InsertState insert = inserts.get(id);
        if (insert == null) {
            throw new EngineException("insert " + id + " does not exist");
        }
        return insert;
    }

    /** The strip {@code id} if it is in the model (even while being removed), else null. */
    StripState find(int id) {
        return stripIndex.get(id);
    }

    /** Refuses an id callers may not use or one already in use. */
    void requireFreeId(int id) {
        if (id < NodeIds.FIRST_FREE_ID) {
            throw new EngineException("id " + id + ": ids from " + NodeIds.FIRST_FREE_ID + " up are free for use");
        }
        if (stripIndex.get(id) != null || sendIndex.get(id) != null || sources.containsKey(id)
                || inserts.containsKey(id)) {
            throw new EngineException("id " + id + " is already in use");
        }
    }

    /** Refuses a route from {@code from} into {@code to} that would close a loop, naming the loop. */
    void refuseLoop(StripState from, StripState to) {
        List<Integer> loop = Routing.loopThrough(from.id(), to.id(), runsBefore());
        if (!loop.isEmpty()) {
            throw new EngineException("routing " + from.id() + " into " + to.id()
                    + " would make a loop: " + String.join(" -> ", loop.stream().map(String::valueOf).toList()));
        }
    }

    /** The strips each strip feeds, by output, send or a path still fading out, by id: one pass over the strips and sends. */
    Map<Integer, List<Integer>> feedsAll() {
        Map<Integer, List<Integer>> result = new java.util.HashMap<>();
        for (StripState entry : strips.values()) {
            List<Integer> fed = new ArrayList<>(2);
            if (entry.outputId != NodeIds.NO_NODE) {
                fed.add(entry.outputId);
            }
            for (RetiredPath retired : entry.retiring) {
                int destination = retired.connection().destination().id();
                if (stripIndex.get(destination) != null && !fed.contains(destination)) {
                    fed.add(destination);
                }
            }
            result.put(entry.id(), fed);
        }
        for (SendState send : sends.values()) {
            List<Integer> fed = result.get(send.source.id());
            if (fed != null) {
                fed.add(send.destination.id());
            }
        }
        return result;
    }

    /**
     * True when signal from strip {@code a} and from strip {@code b} meet on a common strip (either, or one both
     * feed, however far down): two paths of one signal through them then sum as correlated copies.
     */
    boolean converge(int a, int b) {
        Map<Integer, List<Integer>> feeds = feedsAll();
        java.util.Set<Integer> fromA = downstream(a, feeds);
        for (int id : downstream(b, feeds)) {
            if (fromA.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Strip {@code id} and every strip it feeds ({@code feeds}: {@link #feedsAll}), however far down. */
    private static java.util.Set<Integer> downstream(int id, Map<Integer, List<Integer>> feeds) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Integer> next = new java.util.ArrayDeque<>(List.of(id));
        while (!next.isEmpty()) {
            int strip = next.poll();
            if (seen.add(strip)) {
                next.addAll(feeds.getOrDefault(strip, List.of()));
            }
        }
        return seen;
    }

    /**
     * For each strip, the strips that must run after it: those it feeds, and those with an insert whose side
     * chain listens to it; worked out once, for one search.
     */
    Function<Integer, List<Integer>> runsBefore() {
        Map<Integer, List<Integer>> all = runsBeforeAll();
        return id -> all.getOrDefault(id, List.of());
    }

    /**
     * {@link #runsBefore} of every strip at once, in one pass over the strips, sends and inserts (a plan is
     * compiled after every routing command; asking strip by strip would walk every send and insert per strip).
     */
    Map<Integer, List<Integer>> runsBeforeAll() {
        Map<Integer, List<Integer>> result = feedsAll();
        for (InsertState insert : inserts.values()) {
            List<Integer> fed = insert.key == null ? null : result.get(insert.key.id());
            if (fed != null && insert.strip.id() != insert.key.id() && !fed.contains(insert.strip.id())) {
                fed.add(insert.strip.id());
            }
        }
        return result;
    }

    /** The strips that feed each strip, by id, in creation order: {@link #feedsAll} the other way round. */
    Map<Integer, List<Integer>> fedByAll() {
        Map<Integer, List<Integer>> result = new java.util.HashMap<>();
        feedsAll().forEach((id, fed) -> {
            for (int destination : new java.util.LinkedHashSet<>(fed)) {
                result.computeIfAbsent(destination, d -> new ArrayList<>()).add(id);
            }
        });
        return result;
    }

    /** A new path from {@code source} into {@code destination}, its gains closed. */
    Connection newConnection(StripNode source, StripNode destination, boolean preFader) {
        return new Connection(source, destination, preFader, declickSamples);
    }

    /** The state of the strip a connection leads into: the master for the playback buffer. */
    StripState destinationOf(Connection connection) {
        return connection.destination() == playbackStrip ? master : stripIndex.get(connection.destination().id());
    }

    /** Drops a removed send from the index and from its source's sends. */
    void forgetSend(SendState send) {
        sendIndex.remove(send.id);
        send.source.sendsOut.remove(send);
    }

    /** True when no direct out writes to any of {@code channels} any more, not even one still fading out. */
    boolean playbackSilent(int[] channels) {
        for (DirectOutState out : directOuts) {
            for (int channel : channels) {
                if (out.uses(channel)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * How long the mix can ring on after its sources stop, seconds: along every path from a strip through its
     * output and its sends to the master, the tails its inserts report (a reverb's decay, a delay's echoes)
     * add up; the longest path counts.
     */
    double tailSeconds() {
        Map<StripState, Double> known = new java.util.HashMap<>();
        double longest = 0;
        for (StripState entry : strips.values()) {
            longest = Math.max(longest, tailFrom(entry, known, 0));
        }
        return longest;
    }

    /** The tail from {@code entry}'s inserts to the master; {@code depth} guards against a loop. */
    private double tailFrom(StripState entry, Map<StripState, Double> known, int depth) {
        Double done = known.get(entry);
        if (done != null || depth > strips.size()) {
            return done == null ? 0 : done;
        }
        double own = 0;
        for (InsertState insert : entry.inserts) {
            own += insert.slot.processor().tailSeconds();
        }
        double after = 0;
        StripState output = entry.outputId == NodeIds.NO_NODE ? null : strips.get(entry.outputId);
        if (output != null) {
            after = tailFrom(output, known, depth + 1);
        }
        for (SendState send : entry.sendsOut) {
            after = Math.max(after, tailFrom(send.destination, known, depth + 1));
        }
        known.put(entry, own + after);
        return own + after;
    }
}
