package desk.session;

import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.InsertReading;
import desk.engine.Interpolation;
import desk.engine.NodeIds;
import desk.engine.InsertTypes;
import desk.engine.lv2.Lv2Plugin;
import desk.engine.insert.InsertParameter;
import desk.engine.insert.NativeCalls;
import desk.engine.insert.ProcessorType;
import desk.engine.meter.MeterPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An insert on a strip: a processor (EQ, compressor, limiter, delay, reverb...) between the trim and the
 * fader, in the order the strip's inserts run. Its parameters are named by its type, each with a unit, a
 * range and a default; each can be set, driven by a lane or ramped, like a fader. Bypassing, moving and
 * removing crossfade, so none of them clicks.
 * <p>
 * Threads: the session's control thread.
 */
public final class Insert {
    private final Session session;
    private String state;
    final int id;
    private final Strip strip;
    private final ProcessorType type;
    private final double[] values;
    private final Lane[] lanes;
    private final double[] syncedQuarters;
    private boolean bypassed;
    private Strip key;
    private MeterPoint keyPoint;
    private boolean removed;
    private String failure;

    private Insert(Session session, int id, Strip strip, ProcessorType type, double[] values, boolean bypassed) {
        this.session = session;
        this.id = id;
        this.strip = strip;
        this.type = type;
        this.values = values;
        this.lanes = new Lane[values.length];
        this.syncedQuarters = new double[values.length];
        java.util.Arrays.fill(syncedQuarters, Double.NaN);
        this.bypassed = bypassed;
    }

    /**
     * Makes an insert of {@code typeName} on {@code strip} at place {@code index} (-1: last) with
     * {@code settings} (parameter name to value: a number, a choice's index or a switch's 0 or 1), and puts it
     * in the strip's chain.
     */
    static Insert create(Session session, Strip strip, String typeName, Map<String, Double> settings, int index,
                         boolean bypassed, String state, String failure) {
        ProcessorType type = InsertTypes.find(typeName, session.sampleRate());
        String label = strip.name() + ".insert(" + Session.describe(typeName) + ")";
        List<Insert> chain = strip.insertList();
        if (index < -1 || index > chain.size()) {
            throw new DeskException(label + " at " + index + ": must be 0.." + chain.size());
        }
        if (type == null) {
            throw new DeskException(label + ": " + InsertTypes.whyNot(typeName));
        }
        double[] values = type.initialValues();
        for (Map.Entry<String, Double> setting : settings.entrySet()) {
            int parameter = type.indexOf(setting.getKey());
            if (parameter < 0) {
                throw new DeskException(label + " has no parameter " + Session.describe(setting.getKey())
                        + ": " + names(type));
            }
            values[parameter] = checked(type, label, parameter, setting.getValue());
        }
        int id = session.newId();
        if (type.name().startsWith(Lv2Plugin.PREFIX)) {
            NativeCalls.describe(id, strip.name() + ".inserts[" + (index < 0 ? chain.size() : index) + "] ("
                    + type.name() + ")");
        }
        if (failure == null) {
            session.execute(new EngineCommand.AddInsert(id, strip.id, type.name(), index,
                    new LinkedHashMap<>(settings), bypassed, state));
        }
        Insert insert = new Insert(session, id, strip, type, values, bypassed);
        insert.state = state;
        insert.failure = failure;
        chain.add(index < 0 ? chain.size() : index, insert);
        return insert;
    }

    /**
     * What the insert keeps beyond its parameters, as the session file holds it (a plugin's LV2 state, in Turtle),
     * as of when it was made or the session was last saved; null for none.
     */
    public String state() {
        return state;
    }

    /** Asks the engine for the insert's state now, for the session file. */
    void refreshState() {
        if (!removed && failure == null && type.name().startsWith(Lv2Plugin.PREFIX)) {
            state = session.link().insertState(id);
        }
    }

    /** The type's name, e.g. "eq". */
    public String type() {
        return type.name();
    }

    /** The strip it is on. */
    public Strip strip() {
        return strip;
    }

    /** Its place in the strip's chain, from 0. */
    public int index() {
        return strip.inserts().indexOf(this);
    }

    /** Its parameters' descriptions, in order. */
    public List<InsertParameter> parameters() {
        return type.parameters();
    }

    /** The description of parameter {@code name}, refusing a name the type does not have. */
    public InsertParameter parameter(String name) {
        return type.parameters().get(indexOf(name, "." + Session.describe(name)));
    }

    /** The value of parameter {@code name} now: its lane's value while the lane plays (a choice's index). */
    public double get(String name) {
        int index = indexOf(name, "." + name);
        Lane lane = lanes[index];
        return lane != null && lane.playing() ? lane.valueAt(session.transportSample()) : values[index];
    }

    /**
     * Refuses parameter {@code name} set to {@code value} (as the script wrote it) by a script while its lane
     * reads (mode "read"), where it would not be heard.
     */
    public void refuseUnheard(String name, String value) {
        Lane lane = lanes[indexOf(name, "." + name)];
        if (lane != null) {
            lane.refuseWhileReading(this + "." + name + " " + value, name);
        }
    }

    /** Sets parameter {@code name} (a choice by its index, a switch as 0 or 1); refuses what it does not allow. */
    public void set(String name, double value) {
        checkLive();
        int index = indexOf(name, "." + name);
        checked(type, this + "", index, value);
        if (value != values[index]) {
            strip.refuseFrozen(this + "." + name);
        }
        syncedQuarters[index] = Double.NaN;
        Lane lane = lanes[index];
        if (lane != null) {
            lane.beforeWrite();
        }
        store(index, value);
        if (lane != null) {
            lane.afterWrite(value);
        }
    }

    /**
     * Sets a time parameter in milliseconds from text: a note value synced to the tempo ("1/8", "1/8." dotted,
     * "1/8t" triplet), which follows later changes of tempo, or a length such as "250 ms" or "1 beat".
     */
    public void setTime(String name, String text) {
        checkLive();
        strip.refuseFrozen(this + "." + name);
        int index = indexOf(name, "." + name);
        InsertParameter parameter = type.parameters().get(index);
        if (!parameter.unit().equals("ms")) {
            throw new DeskException(this + "." + name + " " + Session.describe(text) + ": must be "
                    + parameter.allowed());
        }
        double quarters = Tempo.noteQuarters(text);
        double milliseconds = Double.isNaN(quarters)
                ? session.tempo().length(text, this + "." + name) / session.sampleRate() * 1000
                : quarters * session.tempo().quarterMilliseconds();
        set(name, milliseconds);
        syncedQuarters[index] = quarters;
    }

    /** The value set for parameter {@code index}, whatever a lane plays. */
    double stored(int index) {
        return values[index];
    }

    /** The note value, in quarter notes, parameter {@code index} follows the tempo at; NaN when it does not. */
    double syncedQuarters(int index) {
        return syncedQuarters[index];
    }

    /** Sets time parameter {@code name} to follow the tempo at {@code quarters} quarter notes. */
    void sync(String name, double quarters) {
        int index = indexOf(name, "." + name);
        set(name, Math.min(type.parameters().get(index).max(), Math.max(type.parameters().get(index).min(),
                quarters * session.tempo().quarterMilliseconds())));
        syncedQuarters[index] = quarters;
    }

    /** Follows a change of tempo with every time set as a note value, as far as its range allows. */
    void retime() {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(syncedQuarters[i]) && !removed) {
                InsertParameter parameter = type.parameters().get(i);
                double milliseconds = Math.min(parameter.max(), Math.max(parameter.min(),
                        syncedQuarters[i] * session.tempo().quarterMilliseconds()));
                store(i, milliseconds);
            }
        }
    }

    private void store(int index, double value) {
        session.execute(new EngineCommand.SetInsertParameter(id, type.parameters().get(index).name(), value));
        values[index] = value;
    }

    /** True when bypassed. */
    public boolean bypass() {
        return bypassed;
    }

    /** Bypasses the insert or engages it again, crossfading; a bypassed insert keeps its latency. */
    public void bypass(boolean on) {
        checkLive();
        if (on != bypassed) {
            strip.refuseFrozen(this + ".bypass");
        }
        session.execute(new EngineCommand.SetInsertBypass(id, on));
        bypassed = on;
    }

    /**
     * Sends the engine the state of an insert on a frozen track ({@code frozen}: bypassed and resting, so it costs
     * nothing) or on a live one (awake, bypassed as the insert's own state says), without changing that state.
     */
    void playFrozen(boolean frozen) {
        if (frozen) {
            session.execute(new EngineCommand.SetInsertBypass(id, true));
            session.execute(new EngineCommand.RestInsert(id, true));
        } else {
            session.execute(new EngineCommand.RestInsert(id, false));
            session.execute(new EngineCommand.SetInsertBypass(id, bypassed));
        }
    }

    /** Moves the insert to place {@code index} of its strip's chain (0: first). */
    public void move(int index) {
        checkLive();
        strip.refuseFrozen(this + ".move");
        List<Insert> chain = strip.insertList();
        if (index < 0 || index >= chain.size()) {
            throw new DeskException(this + ".move(" + index + "): the place must be 0.." + (chain.size() - 1));
        }
        session.execute(new EngineCommand.MoveInsert(id, index));
        chain.remove(this);
        chain.add(index, this);
    }

    /** Removes the insert: it fades out of the chain. */
    public void remove() {
        if (failure == null) {
            checkLive();
        }
        strip.refuseFrozen(this + ".remove");
        if (failure == null) {
            session.execute(new EngineCommand.RemoveInsert(id));
        }
        strip.insertList().remove(this);
        removed = true;
    }

    /** The automation lane of parameter {@code name}, made empty (in read mode) on first use. */
    public Lane lane(String name) {
        checkLive();
        int index = automatable(name, "lane");
        if (lanes[index] == null) {
            lanes[index] = new Lane(session, toString(), laneTarget(index), value -> store(index, value),
                    this::checkLive);
        }
        return lanes[index];
    }

    /** The lanes made so far. */
    public List<Lane> lanes() {
        List<Lane> made = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane != null) {
                made.add(lane);
            }
        }
        return made;
    }

    /** Moves parameter {@code name} to {@code target} over {@code samples} samples, sample-accurately, and leaves it there. */
    public void ramp(String name, double target, long samples, Interpolation interpolation) {
        checkLive();
        strip.refuseFrozen(this + ".ramp(\"" + name + "\")");
        int index = automatable(name, "ramp");
        checked(type, this + ".ramp(\"" + name + "\")", index, target);
        Lane lane = lanes[index];
        if (lane != null && lane.playing()) {
            throw new DeskException(this + ".ramp(\"" + name + "\"): the parameter follows its lane (mode "
                    + lane.mode() + "): set the lane's mode to \"off\" first");
        }
        if (samples < 1) {
            throw new DeskException(this + ".ramp(\"" + name + "\") length: must be at least one sample");
        }
        session.execute(new EngineCommand.GlideInsert(id, name, target, samples,
                interpolation == null ? Interpolation.GAIN : interpolation));
        values[index] = target;
    }

    /** Whether the insert listens to a side chain (a compressor, a gate). */
    public boolean hasSideChain() {
        return type.sideChain();
    }

    /** The strip its side chain listens to, or null for its own input. */
    public Strip sidechain() {
        return key;
    }

    /** Where on {@link #sidechain()} it listens: "input", "pre" or "post"; null for its own input. */
    public String sidechainPoint() {
        return keyPoint == null ? null : switch (keyPoint) {
            case INPUT -> "input";
            case PRE_FADER -> "pre";
            case POST_FADER -> "post";
        };
    }

    /**
     * Makes the side chain listen to {@code source}'s signal at {@code point} ("pre", the default, "post" or
     * "input"), or to the insert's own input ({@code source} null or the insert's own strip).
     */
    public void sidechain(Strip source, String point) {
        checkLive();
        strip.refuseFrozen(this + ".sidechain");
        String label = this + ".sidechain";
        if (!type.sideChain()) {
            throw new DeskException(label + ": a " + type.name() + " has no side chain");
        }
        MeterPoint chosen = switch (point == null ? "pre" : point) {
            case "pre" -> MeterPoint.PRE_FADER;
            case "post" -> MeterPoint.POST_FADER;
            case "input" -> MeterPoint.INPUT;
            default -> throw new DeskException(label + " point " + Session.describe(point)
                    + ": must be \"pre\", \"post\" or \"input\"");
        };
        if (source != null) {
            session.checkOwn(source, label);
        }
        boolean own = source == null || source == strip;
        session.execute(new EngineCommand.SetInsertKey(id, own ? NodeIds.NO_NODE : source.id, chosen));
        key = own ? null : source;
        keyPoint = own ? null : chosen;
    }

    /** What the engine reports of it: its latency and gain reduction. */
    public InsertReading reading() {
        checkLive();
        return session.link().insert(id);
    }

    /** The delay it adds, in samples. */
    public int latency() {
        return removed ? 0 : reading().latency();
    }

    /** How far it turns the signal down now, dB (0 when it does not; NaN for a processor without dynamics). */
    public double gainReduction() {
        return reading().gainReductionDb();
    }

    /** True once removed (with the insert or its strip). */
    public boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** Forgets a side chain that listened to {@code removedStrip}. */
    void stripRemoved(Strip removedStrip) {
        if (key == removedStrip) {
            key = null;
            keyPoint = null;
        }
    }

    void transportChanged(boolean rolling) {
        for (Lane lane : lanes) {
            if (lane != null) {
                lane.transportChanged(rolling);
            }
        }
    }

    /** Makes the insert again in a fresh engine, with its parameters, bypass, side chain and lanes as they are now. */
    void replay() {
        if (failure != null) {
            return;
        }
        Map<String, Double> settings = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            settings.put(type.parameters().get(i).name(), values[i]);
        }
        session.execute(new EngineCommand.AddInsert(id, strip.id, type.name(), -1, settings, bypassed));
        if (key != null) {
            session.execute(new EngineCommand.SetInsertKey(id, key.id, keyPoint));
        }
        for (Lane lane : lanes) {
            if (lane != null) {
                lane.replay();
            }
        }
    }

    @Override
    public String toString() {
        return strip.name() + ".inserts[" + Math.max(0, index()) + "] (" + type.name() + ")";
    }

    private void checkLive() {
        if (removed) {
            throw new DeskException(strip.name() + "'s " + type.name() + " was removed");
        }
        if (failure != null) {
            throw new DeskException(this + " is out of the chain: " + failure + "; remove() it, or insert the plugin"
                    + " again to try once more");
        }
    }

    /**
     * Why the insert is out of the chain (its plugin stopped the engine process), or null while it plays. A failed
     * insert stays in the session, saved with that reason, but is not made in the engine; only {@link #remove}
     * is taken.
     */
    public String failed() {
        return failure;
    }

    /** Takes the insert out of the engine for good, for {@code why}; it is not made again when the session replays. */
    void fail(String why) {
        failure = why;
    }

    private int indexOf(String name, String action) {
        int index = name == null ? -1 : type.indexOf(name);
        if (index < 0) {
            throw new DeskException(this + (action.startsWith(".") ? "" : " ") + action + ": a " + type.name()
                    + " has " + names(type));
        }
        return index;
    }

    /** Whether parameter {@code name} can be ramped and automated (not a choice); refuses a name it does not have. */
    boolean rampable(String name) {
        return !type.parameters().get(indexOf(name, "." + name)).isChoice();
    }

    private int automatable(String name, String action) {
        int index = indexOf(name, "." + action + "(" + Session.describe(name) + ")");
        if (type.parameters().get(index).isChoice()) {
            throw new DeskException(this + "." + action + "(\"" + name + "\"): " + name
                    + " is a choice; it is set, not automated");
        }
        return index;
    }

    private Lane.Target laneTarget(int index) {
        InsertParameter parameter = type.parameters().get(index);
        return new Lane.Target() {
            @Override
            public String name() {
                return parameter.name();
            }

            @Override
            public String check(double value) {
                return parameter.check(value);
            }

            @Override
            public String format(double value) {
                return parameter.format(value);
            }

            @Override
            public Interpolation defaultInterpolation() {
                return Interpolation.GAIN;
            }

            @Override
            public EngineCommand play(AutomationLane lane) {
                return new EngineCommand.SetInsertLane(id, parameter.name(), lane);
            }
        };
    }

    private static double checked(ProcessorType type, String label, int index, double value) {
        InsertParameter parameter = type.parameters().get(index);
        String problem = parameter.check(value);
        if (problem != null) {
            throw new DeskException(label + " " + parameter.name() + " " + parameter.format(value) + " " + problem);
        }
        return value;
    }

    private static String names(ProcessorType type) {
        return type.parameters().stream().map(InsertParameter::name).collect(Collectors.joining(", "));
    }
}
