package desk.engine.control;

import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.InsertReading;
import desk.engine.InsertTypes;
import desk.engine.Interpolation;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Routing;
import desk.engine.fx.BuiltIns;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.NativeCalls;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorType;
import desk.engine.meter.MeterPoint;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.Automation;
import desk.engine.rt.CommandRing;
import desk.engine.rt.InsertChain;
import desk.engine.rt.InsertSlot;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Inserts: adds, removes, moves and bypasses the processors of a strip's chain, sets their parameters and
 * side chains, and drives their parameters from lanes and ramps. Every change crossfades on the audio side;
 * processors are made and prepared here, never on the audio thread.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class InsertControl {
    /** Most inserts a strip holds, leaving room in its chain for as many still fading out. */
    static final int MAX_PER_STRIP = InsertChain.CAPACITY / 2;

    private final MixerModel model;
    private final AudioGraph graph;
    private final CommandWriter writer;
    private final GainCompiler gains;
    private final PlanCompiler plans;
    private final Retirement retirement;
    /** Whether the engine renders offline, where processors may wait so as not to depend on timing. */
    private boolean offline;

    InsertControl(MixerModel model, AudioGraph graph, CommandWriter writer, GainCompiler gains, PlanCompiler plans,
                  Retirement retirement) {
        this.model = model;
        this.graph = graph;
        this.writer = writer;
        this.gains = gains;
        this.plans = plans;
        this.retirement = retirement;
    }

    void add(EngineCommand.AddInsert c) {
        model.requireFreeId(c.id());
        StripState entry = model.strip(c.stripId(), "strip");
        ProcessorType type = InsertTypes.find(c.type(), model.sampleRate);
        if (type == null) {
            throw new EngineException("insert type " + (c.type() == null ? "null" : "\"" + c.type() + "\"")
                    + ": " + InsertTypes.whyNot(c.type()));
        }
        int size = entry.inserts.size();
        if (c.index() < -1 || c.index() > size) {
            throw new EngineException("insert place " + c.index() + " on strip " + c.stripId() + ": must be 0.."
                    + size + " (or -1 for last)");
        }
        if (size >= MAX_PER_STRIP) {
            throw new EngineException("strip " + c.stripId() + " has " + size + " inserts, the most a strip holds");
        }
        double[] values = type.initialValues();
        if (c.parameters() != null) {
            for (Map.Entry<String, Double> setting : c.parameters().entrySet()) {
                int index = parameterIndex(type, "a new " + type.name(), setting.getKey());
                values[index] = checked(type, "a new " + type.name(), index, setting.getValue());
            }
        }
        Processor processor;
        try {
            NativeCalls.enterControl(c.id());
            processor = type.create(model.sampleRate, entry.node.channels(), values, c.state());
        } catch (RuntimeException e) {
            throw new EngineException(type.name() + " could not be made: " + e.getMessage());
        } finally {
            NativeCalls.leaveControl();
        }
        if (offline) {
            processor.renderOffline();
        }
        InsertSlot slot = new InsertSlot(c.id(), processor, entry.node.channels(), model.crossfadeSamples,
                c.bypassed(), type.sideChain());
        InsertState insert = new InsertState(c.id(), entry, type, slot, values, c.bypassed());
        int index = c.index() < 0 ? size : c.index();
        if (entry.chain == null) {
            entry.chain = new InsertChain(graph.returns());
        }
        writer.addInsert(entry.node, entry.chain, slot, index < size ? entry.inserts.get(index).slot : null);
        entry.inserts.add(index, insert);
        model.inserts.put(c.id(), insert);
        if (slot.latency() > 0) {
            plans.publish();
        }
    }

    /** From now on every insert, present and future, runs as an offline render needs (see {@link Processor#renderOffline}). */
    void renderOffline() {
        offline = true;
        for (InsertState insert : model.inserts.values()) {
            insert.slot.processor().renderOffline();
        }
    }

    void remove(EngineCommand.RemoveInsert c) {
        InsertState insert = model.insert(c.id());
        writer.removeInsert(insert.slot);
        forget(insert);
        boolean keyed = insert.key != null;
        if (hasLane(insert)) {
            gains.refreshAll();
        }
        if (keyed || insert.slot.latency() > 0) {
            plans.publish();
        }
    }

    void move(EngineCommand.MoveInsert c) {
        InsertState insert = model.insert(c.id());
        List<InsertState> chain = insert.strip.inserts;
        if (c.index() < -1 || c.index() >= chain.size()) {
            throw new EngineException(insert.label() + " place " + c.index() + ": must be 0.." + (chain.size() - 1)
                    + " (or -1 for last)");
        }
        int index = c.index() < 0 ? chain.size() - 1 : c.index();
        if (chain.indexOf(insert) == index) {
            return;
        }
        chain.remove(insert);
        chain.add(index, insert);
        writer.moveInsert(insert.slot, index + 1 < chain.size() ? chain.get(index + 1).slot : null);
    }

    void bypass(EngineCommand.SetInsertBypass c) {
        InsertState insert = model.insert(c.id());
        if (insert.bypassed != c.bypassed()) {
            insert.bypassed = c.bypassed();
            writer.bypassInsert(insert.slot, c.bypassed());
        }
    }

    void rest(EngineCommand.RestInsert c) {
        InsertState insert = model.insert(c.id());
        if (insert.resting != c.resting()) {
            insert.resting = c.resting();
            writer.restInsert(insert.slot, c.resting());
        }
    }

    void set(EngineCommand.SetInsertParameter c) {
        InsertState insert = model.insert(c.id());
        int index = parameterIndex(insert.type, insert.label(), c.parameter());
        insert.values[index] = checked(insert.type, insert.label(), index, c.value());
        if (insert.lanes[index] == null) {
            writer.setInsertParameter(insert.slot, index, insert.values[index]);
        }
    }

    void setLane(EngineCommand.SetInsertLane c) {
        InsertState insert = model.insert(c.id());
        int index = automatable(insert, c.parameter());
        if (c.lane() != null) {
            String problem = laneProblem(insert, index, c.lane());
            if (problem != null) {
                throw new EngineException(insert.label() + " " + c.parameter() + " lane: " + problem);
            }
        }
        insert.lanes[index] = c.lane() == null ? null : new Automation.ClockedLane(c.lane(), false);
        if (c.lane() == null) {
            writer.setInsertParameter(insert.slot, index, insert.values[index]);
        }
        gains.refreshAll();
    }

    void glide(EngineCommand.GlideInsert c) {
        InsertState insert = model.insert(c.id());
        int index = automatable(insert, c.parameter());
        double target = checked(insert.type, insert.label(), index, c.target());
        if (c.samples() < 1 || c.samples() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("ramp length " + c.samples() + " samples: must be 1.." + Limits.MAX_SAMPLE_TIME);
        }
        Automation.ClockedLane existing = insert.lanes[index];
        if (existing != null && !existing.engineClock()) {
            throw new EngineException(insert.label() + " " + c.parameter()
                    + " follows its automation lane: turn the lane off to ramp it");
        }
        long start = writer.time() != CommandRing.NOW ? writer.time() : graph.position();
        double from = existing != null ? existing.lane().valueAt(start) : insert.values[index];
        Interpolation interpolation = c.interpolation() == null ? Interpolation.GAIN : c.interpolation();
        AutomationLane lane = new AutomationLane(new long[]{start, start + c.samples()},
                new double[]{from, target}, new Interpolation[]{interpolation, interpolation});
        Automation.ClockedLane clocked = new Automation.ClockedLane(lane, true);
        retirement.maintainBy(Retirement.glideEnd(clocked));
        insert.lanes[index] = clocked;
        insert.values[index] = target;
        gains.refreshAll();
    }

    void setKey(EngineCommand.SetInsertKey c) {
        InsertState insert = model.insert(c.id());
        if (!insert.type.sideChain()) {
            throw new EngineException(insert.label() + " has no side chain: " + sideChained() + " have one");
        }
        if (c.stripId() == NodeIds.NO_NODE) {
            insert.key = null;
            insert.keyPoint = null;
            writer.setInsertKey(insert.slot, null, null);
            plans.publish();
            return;
        }
        StripState key = model.strip(c.stripId(), "side-chain strip");
        MeterPoint point = c.point() == null ? MeterPoint.PRE_FADER : c.point();
        if (key != insert.strip) {
            List<Integer> loop = Routing.loopThrough(key.id(), insert.strip.id(), model.runsBefore());
            if (!loop.isEmpty()) {
                throw new EngineException(insert.label() + " cannot listen to strip " + key.id() + ": strip "
                        + insert.strip.id() + " feeds it, so it would wait for itself: " + loop.stream()
                        .map(String::valueOf).collect(Collectors.joining(" -> ")));
            }
        }
        insert.key = key;
        insert.keyPoint = point;
        writer.setInsertKey(insert.slot, key == insert.strip ? null : key.node, point);
        plans.publish();
    }

    /** The delay from the session's sources to strip {@code stripId}'s output, samples. */
    int latency(int stripId) {
        return model.strip(stripId, "strip").outputLatency;
    }

    /** What insert {@code id} reports. */
    String state(int id) {
        NativeCalls.enterControl(id);
        try {
            return model.insert(id).slot.processor().saveState();
        } finally {
            NativeCalls.leaveControl();
        }
    }

    InsertReading reading(int id) {
        InsertState insert = model.insert(id);
        return new InsertReading(insert.slot.latency(), insert.slot.processor().gainReductionDb());
    }

    /** Forgets the inserts of a strip being removed, and points side chains that listened to it back home. */
    void stripRemoved(StripState entry) {
        for (InsertState insert : List.copyOf(entry.inserts)) {
            forget(insert);
        }
        for (InsertState insert : model.inserts.values()) {
            if (insert.key == entry) {
                insert.key = null;
                insert.keyPoint = null;
                writer.setInsertKey(insert.slot, null, null);
            }
        }
    }

    private void forget(InsertState insert) {
        insert.strip.inserts.remove(insert);
        model.inserts.remove(insert.id);
    }

    private static boolean hasLane(InsertState insert) {
        for (Automation.ClockedLane lane : insert.lanes) {
            if (lane != null) {
                return true;
            }
        }
        return false;
    }

    private static int parameterIndex(ProcessorType type, String label, String name) {
        int index = name == null ? -1 : type.indexOf(name);
        if (index < 0) {
            throw new EngineException(label + " has no parameter " + (name == null ? "null" : "\"" + name + "\"")
                    + ": it has " + type.parameters().stream().map(InsertParameter::name)
                    .collect(Collectors.joining(", ")));
        }
        return index;
    }

    private static double checked(ProcessorType type, String label, int index, Double value) {
        InsertParameter parameter = type.parameters().get(index);
        double number = value == null ? Double.NaN : value;
        String problem = parameter.check(number);
        if (problem != null) {
            throw new EngineException(label + " " + parameter.name() + " " + parameter.format(number) + " " + problem);
        }
        return number;
    }

    private static int automatable(InsertState insert, String name) {
        int index = parameterIndex(insert.type, insert.label(), name);
        if (insert.type.parameters().get(index).isChoice()) {
            throw new EngineException(insert.label() + " " + name + " is a choice: it is set, not automated");
        }
        return index;
    }

    private static String laneProblem(InsertState insert, int index, AutomationLane lane) {
        int points = lane.times() == null ? 0 : lane.times().length;
        if (points == 0 || lane.values() == null || lane.values().length != points || lane.interpolations() == null
                || lane.interpolations().length != points) {
            return "a lane needs at least one point, each with a time, a value and an interpolation";
        }
        for (int i = 0; i < points; i++) {
            if (i > 0 && lane.times()[i] < lane.times()[i - 1] || lane.times()[i] < 0) {
                return "point times must not go backwards or below 0";
            }
            if (lane.interpolations()[i] == null) {
                return "point " + (i + 1) + " has no interpolation";
            }
            InsertParameter parameter = insert.type.parameters().get(index);
            String problem = parameter.check(lane.values()[i]);
            if (problem != null) {
                return parameter.name() + " " + parameter.format(lane.values()[i]) + " " + problem;
            }
        }
        return null;
    }

    private static String sideChained() {
        return BuiltIns.all().stream().filter(ProcessorType::sideChain).map(ProcessorType::name)
                .collect(Collectors.joining(", "));
    }
}
