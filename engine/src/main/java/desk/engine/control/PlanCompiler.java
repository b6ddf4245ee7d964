package desk.engine.control;

import desk.engine.NodeIds;
import desk.engine.rt.CompensationDelay;
import desk.engine.rt.Connection;
import desk.engine.rt.Plan;
import desk.engine.rt.Source;
import desk.engine.rt.StripNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the model's routing into a {@link Plan}: the strips in dependency order (every strip after all
 * that feed it, ties in creation order, the master last), each with its outgoing paths (output, direct out,
 * sends and paths still fading out), the buses to clear, and the direct outs with their playback channels;
 * then hands it to the audio side.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class PlanCompiler {
    private final MixerModel model;
    private final SoloResolver solo;
    private final CommandWriter writer;
    private int[] lastOrder = new int[0];
    private Map<Connection, Integer> compensationSent = new IdentityHashMap<>();
    private boolean held;
    private boolean publishHeld;

    PlanCompiler(MixerModel model, SoloResolver solo, CommandWriter writer) {
        this.model = model;
        this.solo = solo;
        this.writer = writer;
    }

    /** The ids of the strips in the order the last plan runs them. */
    int[] lastOrder() {
        return lastOrder.clone();
    }

    /** Holds back {@link #publish} ({@code held}) until the hold ends, then publishes once if it was asked for meanwhile. */
    void hold(boolean held) {
        this.held = held;
        if (!held && publishHeld) {
            publishHeld = false;
            publish();
        }
    }

    /** Compiles the routing into a plan in dependency order and hands it to the audio side. */
    void publish() {
        if (held) {
            publishHeld = true;
            return;
        }
        Map<Integer, List<Integer>> runsBefore = model.runsBeforeAll();
        List<StripState> order = dependencyOrder(runsBefore);
        Map<StripState, List<Connection>> sendsFrom = new IdentityHashMap<>();
        for (SendState send : model.sends.values()) {
            sendsFrom.computeIfAbsent(send.source, source -> new ArrayList<>()).add(send.connection);
        }
        StripNode[] strips = new StripNode[order.size()];
        Connection[][] outgoing = new Connection[order.size()][];
        List<StripNode> summing = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            StripState entry = order.get(i);
            strips[i] = entry.node;
            List<Connection> connections = new ArrayList<>();
            if (entry == model.master) {
                connections.add(model.masterOutput);
            } else if (entry.output != null) {
                connections.add(entry.output);
            }
            if (entry.directOut != null) {
                connections.add(entry.directOut.connection);
            }
            connections.addAll(sendsFrom.getOrDefault(entry, List.of()));
            for (RetiredPath retired : entry.retiring) {
                connections.add(retired.connection());
            }
            outgoing[i] = connections.toArray(new Connection[0]);
            if (entry.node.kind().isBus()) {
                summing.add(entry.node);
            }
        }
        int outs = model.directOuts.size();
        StripNode[] ports = new StripNode[outs];
        int[][] portChannels = new int[outs][];
        for (int i = 0; i < outs; i++) {
            ports[i] = model.directOuts.get(i).port;
            portChannels[i] = model.directOuts.get(i).channels;
        }
        Plan next = new Plan(model.sources.values().toArray(new Source[0]), strips,
                waveStarts(order, runsBefore, outgoing), outgoing,
                summing.toArray(new StripNode[0]), model.playbackStrip, ports, portChannels);
        lastOrder = next.order();
        solo.markStale();
        writer.swapPlan(next);
        compensate(order, outgoing);
    }

    /**
     * Works out every strip's latency in dependency order (a bus's input waits for its slowest feed; its
     * output adds its inserts' latency) and delays each path by what its destination waits for: a path into
     * a bus by the bus's input latency less its source's output latency, a path onto the playback channels
     * (the master's output, a direct out) by the master's output latency less its source's. Sends only the
     * delays that changed.
     */
    private void compensate(List<StripState> order, Connection[][] outgoing) {
        Map<StripNode, Integer> inputLatency = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            StripState entry = order.get(i);
            entry.outputLatency = Math.max(inputLatency.getOrDefault(entry.node, 0), entry.inputLatency)
                    + entry.chainLatency();
            for (Connection connection : outgoing[i]) {
                inputLatency.merge(connection.destination(), entry.outputLatency, Math::max);
            }
        }
        model.latency = model.master.outputLatency;
        Map<Connection, Integer> delays = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            StripState entry = order.get(i);
            for (Connection connection : outgoing[i]) {
                boolean toPlayback = connection.destination() == model.playbackStrip
                        || connection.destination().id() == NodeIds.NO_NODE;
                int waitsFor = toPlayback ? model.latency : inputLatency.get(connection.destination());
                int delay = waitsFor - entry.outputLatency;
                delays.put(connection, delay);
                Integer sent = compensationSent.get(connection);
                if (sent == null ? delay != 0 : sent != delay) {
                    writer.setCompensation(connection, delay == 0 ? null
                            : new CompensationDelay(delay, connection.destination().channels()));
                }
            }
        }
        compensationSent = delays;
    }

    /**
     * Where the waves of {@code order} start: a new wave begins at the first strip that a strip of the wave
     * before it feeds, through one of its connections (outgoing, fading out or not) or as the key of a side
     * chain.
     */
    private static int[] waveStarts(List<StripState> order, Map<Integer, List<Integer>> runsBefore,
                                    Connection[][] outgoing) {
        Set<Integer> fedByWave = new HashSet<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            int id = order.get(i).id();
            if (i == 0 || fedByWave.contains(id)) {
                starts.add(i);
                fedByWave.clear();
            }
            fedByWave.addAll(runsBefore.getOrDefault(id, List.of()));
            for (Connection connection : outgoing[i]) {
                fedByWave.add(connection.destination().id());
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Strips ordered so that each comes after every strip that feeds it; ties keep creation order. */
    private List<StripState> dependencyOrder(Map<Integer, List<Integer>> runsBefore) {
        Map<Integer, Integer> pendingInputs = new HashMap<>();
        for (StripState entry : model.strips.values()) {
            pendingInputs.putIfAbsent(entry.id(), 0);
            for (int fed : runsBefore.get(entry.id())) {
                pendingInputs.merge(fed, 1, Integer::sum);
            }
        }
        List<StripState> order = new ArrayList<>();
        Deque<StripState> ready = new ArrayDeque<>();
        for (StripState entry : model.strips.values()) {
            if (pendingInputs.get(entry.id()) == 0 && entry != model.master) {
                ready.add(entry);
            }
        }
        while (!ready.isEmpty()) {
            StripState entry = ready.poll();
            order.add(entry);
            for (int fed : runsBefore.get(entry.id())) {
                if (pendingInputs.merge(fed, -1, Integer::sum) == 0 && fed != NodeIds.MASTER_ID) {
                    ready.add(model.find(fed));
                }
            }
        }
        order.add(model.master);
        return order;
    }
}
