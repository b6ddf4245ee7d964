package desk.session;

import desk.engine.EngineCommand;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.Routing;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel strip with a name: a {@link Track} or a {@link Bus}. In signal order: trim, polarity (phase),
 * inserts, fader, pan (mono) or balance (stereo and wider), mute and solo; then its output routing and its
 * sends. Levels are in dB, pan and balance from -1 (left) to +1 (right). Every setter checks its value
 * first and changes nothing when it refuses.
 * <p>
 * Threads: the session's control thread.
 */
public abstract sealed class Strip permits Track, Bus {
    final Session session;
    final int id;
    private final int channels;
    private String name;
    private double trim;
    private double fader;
    private double pan;
    private double balance;
    private double panLaw = -3;
    private boolean mute;
    private boolean solo;
    private boolean soloSafe;
    private boolean[] phase;
    private Bus output;
    private final Map<Bus, Send> sends = new LinkedHashMap<>();
    private final Map<Parameter, Lane> lanes = new java.util.EnumMap<>(Parameter.class);
    private final java.util.Set<Bus> formerOutputs = new java.util.LinkedHashSet<>();
    private final List<Insert> inserts = new ArrayList<>();
    private MeterPoint loudnessPoint;
    boolean removed;
    /** The strip this object became (made again by an undo or a redo, or moved to another engine), or null. */
    private Strip successor;
    /** The strip this object was made again from, or null. */
    private Strip predecessor;

    Strip(Session session, int id, String name, int channels, Bus output) {
        this.session = session;
        this.id = id;
        this.name = name;
        this.channels = channels;
        this.phase = new boolean[channels];
        this.output = output;
        this.loudnessPoint = id == NodeIds.MASTER_ID ? MeterPoint.POST_FADER : null;
    }

    /**
     * The strip this object became, or this one: one made again by an undo or a redo of its removal, or moved
     * to another engine, is the same strip to the user, and a script's old object follows it.
     */
    public Strip current() {
        Strip strip = this;
        while (strip.successor != null) {
            strip = strip.successor;
        }
        return strip;
    }

    /** The first object of the line {@link #current} follows: the one a script first met. */
    public Strip first() {
        Strip strip = this;
        while (strip.predecessor != null) {
            strip = strip.predecessor;
        }
        return strip;
    }

    /** Has this removed strip's object follow {@code next}, the same strip made again. */
    void succeededBy(Strip next) {
        successor = next;
        next.predecessor = this;
    }

    /** The engine's id of the strip (a node id): what engine commands and MIDI bindings name it by. */
    public int nodeId() {
        return id;
    }

    /** The strip's name, unique in the session. */
    public String name() {
        return name;
    }

    /** Renames the strip; the new name must be free. */
    public void name(String newName) {
        checkLive();
        session.rename(this, newName);
        name = newName;
    }

    /** Number of channels: 1 (mono), 2 (stereo) or more. */
    public int channels() {
        return channels;
    }

    /** Input trim, dB. */
    public double trim() {
        return now(Parameter.TRIM, trim);
    }

    /** Sets the input trim, dB: -24..+24. */
    public void trim(double db) {
        write(Parameter.TRIM, db);
    }

    /**
     * Refuses a change of {@code parameter} to {@code value} (as the script wrote it) by a script while its lane
     * reads (mode "read"), which would store the value unheard: the lane goes on playing its own.
     */
    public void refuseUnheard(Parameter parameter, String value) {
        Lane lane = lanes.get(parameter);
        if (lane != null) {
            lane.refuseWhileReading(name + "." + parameter.scriptName() + " " + value, parameter.scriptName());
        }
    }

    /** Fader level, dB (-inf when closed). */
    public double fader() {
        return now(Parameter.FADER, fader);
    }

    /** Sets the fader, dB: -inf or -144..+12. */
    public void fader(double db) {
        write(Parameter.FADER, db);
    }

    /** Pan of a mono strip, -1 (hard left) .. +1 (hard right). */
    public double pan() {
        return now(Parameter.PAN, pan);
    }

    /** Pans a mono strip, -1..+1; stereo and wider strips use {@link #balance(double)}. */
    public void pan(double position) {
        if (channels != 1) {
            throw new DeskException(name + ".pan applies to mono strips; " + name + " is "
                    + StripText.width(channels) + ": use balance");
        }
        write(Parameter.PAN, position);
    }

    /** Balance of a stereo (or wider) strip, -1..+1. */
    public double balance() {
        return now(Parameter.BALANCE, balance);
    }

    /** Sets the balance of a stereo (or wider) strip, -1..+1; mono strips use {@link #pan(double)}. */
    public void balance(double position) {
        if (channels == 1) {
            throw new DeskException(name + ".balance applies to stereo and wider strips; " + name
                    + " is mono: use pan");
        }
        write(Parameter.BALANCE, position);
    }

    /** Pan law: the level of each side at the centre, dB (0, -3, -4.5 or -6). */
    public double panLaw() {
        return panLaw;
    }

    /** Chooses the pan law by its centre level: 0, -3 (default, constant power), -4.5 or -6 dB. */
    public void panLaw(double centreDb) {
        set(Parameter.PAN_LAW, centreDb);
        panLaw = centreDb;
    }

    /** True when muted. */
    public boolean mute() {
        return now(Parameter.MUTE, mute ? 1 : 0) >= 0.5;
    }

    /** Mutes or unmutes: a muted strip feeds neither its output nor its sends. */
    public void mute(boolean on) {
        write(Parameter.MUTE, on ? 1 : 0);
    }

    /**
     * The automation lane of {@code parameter} ("trim", "fader", "pan", "balance" or "mute"), made empty (in
     * read mode) on first use.
     */
    public Lane lane(String parameter) {
        checkLive();
        Parameter chosen = automatable(parameter, "lane");
        return lanes.computeIfAbsent(chosen, p -> new Lane(session, name, Lane.Target.of(id, p), value -> store(p, value),
                this::checkLive));
    }

    /** The parameter a lane or ramp names, refusing names that are not automatable on this strip. */
    private Parameter automatable(String parameter, String action) {
        Parameter chosen = switch (parameter == null ? "" : parameter) {
            case "trim" -> Parameter.TRIM;
            case "fader" -> Parameter.FADER;
            case "pan" -> Parameter.PAN;
            case "balance" -> Parameter.BALANCE;
            case "mute" -> Parameter.MUTE;
            default -> throw new DeskException(name + "." + action + "(" + Session.describe(parameter)
                    + "): must be \"trim\", \"fader\", \"" + (channels == 1 ? "pan" : "balance") + "\" or \"mute\"");
        };
        if (chosen == Parameter.PAN && channels != 1 || chosen == Parameter.BALANCE && channels == 1) {
            throw new DeskException(name + "." + action + "(\"" + parameter + "\"): " + name + " is "
                    + StripText.width(channels) + ": use \"" + (channels == 1 ? "pan" : "balance") + "\"");
        }
        return chosen;
    }

    /** The lanes made so far. */
    public List<Lane> lanes() {
        return List.copyOf(lanes.values());
    }

    /**
     * Moves {@code parameter} ("trim", "fader", "pan" or "balance") from where it is to {@code target} over
     * {@code samples} samples, drawn with {@code interpolation}, sample-accurately; it then stays at target.
     */
    public void ramp(String parameter, double target, long samples, desk.engine.Interpolation interpolation) {
        checkLive();
        Parameter chosen = automatable(parameter, "ramp");
        Lane lane = lanes.get(chosen);
        if (chosen == Parameter.MUTE) {
            throw new DeskException(name + ".ramp(\"mute\"): mute switches; ramps move trim, fader, pan and balance");
        }
        check(chosen, target);
        if (lane != null && lane.playing()) {
            throw new DeskException(name + ".ramp(\"" + parameter + "\"): the " + parameter
                    + " follows its lane (mode " + lane.mode() + "): set the lane's mode to \"off\" first");
        }
        if (samples < 1) {
            throw new DeskException(name + ".ramp(\"" + parameter + "\") length: must be at least one sample");
        }
        session.execute(new EngineCommand.Glide(id, chosen, target, samples, interpolation));
        storeField(chosen, target);
    }

    /** True when soloed. */
    public boolean solo() {
        return solo;
    }

    /** Solos in place: while anything is soloed, strips not on a soloed path fall silent. */
    public void solo(boolean on) {
        if (this == session.master()) {
            throw new DeskException("master.solo: the master is always heard and cannot be soloed");
        }
        set(Parameter.SOLO, on ? 1 : 0);
        solo = on;
    }

    /** True when solo-safe. */
    public boolean soloSafe() {
        return soloSafe;
    }

    /** Makes the strip immune to being muted by other strips' solo (e.g. a reverb return). */
    public void soloSafe(boolean on) {
        set(Parameter.SOLO_SAFE, on ? 1 : 0);
        soloSafe = on;
    }

    /** Polarity per channel ({@code true}: inverted). */
    public boolean[] phase() {
        return phase.clone();
    }

    /** Inverts (or not) the polarity of every channel. */
    public void phase(boolean inverted) {
        boolean[] all = new boolean[channels];
        java.util.Arrays.fill(all, inverted);
        phase(all);
    }

    /** Sets the polarity of each channel; needs one flag per channel. */
    public void phase(boolean[] inverted) {
        checkLive();
        if (!java.util.Arrays.equals(inverted, phase)) {
            refuseFrozen(name + ".phase");
        }
        if (inverted == null || inverted.length != channels) {
            throw new DeskException(name + ".phase needs " + channels + " flag" + (channels == 1 ? "" : "s")
                    + " (one per channel), got " + (inverted == null ? "none" : inverted.length));
        }
        session.execute(new EngineCommand.SetPolarity(id, inverted.clone()));
        phase = inverted.clone();
    }

    /** Refuses {@code action} on a frozen track; buses are never frozen. */
    void refuseFrozen(String action) {
    }

    /**
     * Sends the engine a frozen track's strip: trim at 0 dB, no polarity inverted, no trim lane, every insert
     * bypassed and resting (not run at all); the strip's own settings stay as they are.
     */
    void playFrozenStrip() {
        session.execute(new EngineCommand.SetParameter(id, Parameter.TRIM, 0));
        session.execute(new EngineCommand.SetPolarity(id, new boolean[channels]));
        if (lanes.containsKey(Parameter.TRIM)) {
            session.execute(new EngineCommand.SetLane(id, Parameter.TRIM, null));
        }
        for (Insert insert : inserts) {
            insert.playFrozen(true);
        }
    }

    /** Sends the engine the strip's trim, polarity, trim lane and inserts (awake, bypassed as set) as they are set (after a freeze). */
    void playLive() {
        session.execute(new EngineCommand.SetParameter(id, Parameter.TRIM, trim));
        session.execute(new EngineCommand.SetPolarity(id, phase.clone()));
        Lane trimLane = lanes.get(Parameter.TRIM);
        if (trimLane != null) {
            trimLane.replay();
        }
        for (Insert insert : inserts) {
            insert.playFrozen(false);
        }
    }

    /** Where the strip's output goes: a bus, the master, or null for nowhere. */
    public Bus output() {
        return output;
    }

    /** Routes the output into {@code destination} (a group or aux bus, or the master), or nowhere (null). */
    public void output(Bus destination) {
        checkLive();
        if (this == session.master()) {
            throw new DeskException("master.output: the master feeds the interface's playback ports and cannot be routed");
        }
        if (destination != null) {
            session.checkOwn(destination, name + ".output");
            refuseLoop(destination, name + ".output = " + destination.name());
        }
        session.execute(new EngineCommand.SetOutput(id, destination == null ? NodeIds.NO_NODE : destination.id));
        if (output != null && output != destination && output != session.master()) {
            formerOutputs.add(output);
        }
        formerOutputs.remove(destination);
        output = destination;
    }

    /** The sends, in the order they were made. */
    public List<Send> sends() {
        return Collections.unmodifiableList(new ArrayList<>(sends.values()));
    }

    /**
     * Sends to {@code bus} (a group or aux bus) at {@code levelDb}, before or after the fader. If a send to
     * that bus exists it is updated and returned, so templates can run twice.
     */
    public Send send(Bus bus, double levelDb, boolean preFader) {
        checkLive();
        if (this == session.master()) {
            throw new DeskException("master.send: the master has no sends");
        }
        session.checkOwn(bus, name + ".send");
        if (bus == session.master()) {
            throw new DeskException(name + ".send(master): sends go to group or aux buses; use output for the master");
        }
        Send existing = sends.get(bus);
        if (existing != null) {
            String problem = Parameter.SEND_LEVEL.check(levelDb);
            if (problem != null) {
                throw new DeskException(existing + " level " + Parameter.format(levelDb) + " " + problem);
            }
            existing.level(levelDb);
            existing.pre(preFader);
            return existing;
        }
        refuseLoop(bus, name + ".send(" + bus.name() + ")");
        String problem = Parameter.SEND_LEVEL.check(levelDb);
        if (problem != null) {
            throw new DeskException(name + ".send(" + bus.name() + ") level " + Parameter.format(levelDb) + " " + problem);
        }
        int sendId = session.newId();
        session.execute(new EngineCommand.CreateSend(sendId, id, bus.id, preFader, levelDb));
        Send send = new Send(session, sendId, this, bus, levelDb, preFader);
        sends.put(bus, send);
        return send;
    }

    /** The post-fader meter. */
    public MeterReading meter() {
        return meter(MeterPoint.POST_FADER);
    }

    /** The meters read at one moment: post-fader, with the pre-fader and input readings beside it. */
    public MeterSnapshot meters() {
        checkLive();
        return new MeterSnapshot(this, MeterPoint.POST_FADER, meter(MeterPoint.POST_FADER), session.vuReference(),
                meter(MeterPoint.PRE_FADER), meter(MeterPoint.INPUT));
    }

    /** The meter at {@code point} alone, as a snapshot. */
    MeterSnapshot snapshot(MeterPoint point) {
        return new MeterSnapshot(this, point, meter(point), session.vuReference(), null, null);
    }

    /** Where the strip measures loudness and true peak: "input", "pre", "post" or "off". */
    public String loudness() {
        return loudnessPoint == null ? "off" : pointName(loudnessPoint);
    }

    /**
     * Measures loudness and true peak at {@code where} ("input", "pre" or "post"), afresh, or not at all
     * ("off"). The master measures them post-fader from the start; tracks and buses are off until asked, as
     * each loudness meter costs about as much CPU as mixing a strip.
     */
    public void loudness(String where) {
        checkLive();
        MeterPoint point = switch (where == null ? "" : where) {
            case "input" -> MeterPoint.INPUT;
            case "pre" -> MeterPoint.PRE_FADER;
            case "post" -> MeterPoint.POST_FADER;
            case "off" -> null;
            default -> throw new DeskException(name + ".loudness " + Session.describe(where)
                    + ": must be \"input\", \"pre\", \"post\" or \"off\"");
        };
        session.execute(new EngineCommand.SetLoudness(id, point));
        loudnessPoint = point;
    }

    /** Where loudness is measured, or null. */
    MeterPoint loudnessPoint() {
        return loudnessPoint;
    }

    static String pointName(MeterPoint point) {
        return switch (point) {
            case INPUT -> "input";
            case PRE_FADER -> "pre";
            case POST_FADER -> "post";
        };
    }

    /** Clears the strip's meters at every point: peaks, clip counts, averages, loudness and true peak. */
    public void resetMeter() {
        checkLive();
        session.execute(new EngineCommand.ResetMeters(id));
    }

    /**
     * Sets the trim so that the level measured before the fader (the AES17 average since the last reset, in
     * which a sine reads its peak level) lands on {@code targetDb}, within the trim's range, and resets the
     * meters on the first block after the trim has settled, so they measure the new level only (none of the
     * old one, none of the 5 ms ramp between). Returns the trim set, dB.
     */
    public double autoTrim(double targetDb) {
        checkLive();
        return GainReport.autoTrim(this, targetDb);
    }

    /** The buses this strip's output went to before it was re-routed (not the master, not its output now). */
    java.util.Set<Bus> formerOutputs() {
        return java.util.Collections.unmodifiableSet(formerOutputs);
    }

    /** The meter at {@code point}. */
    public MeterReading meter(MeterPoint point) {
        checkLive();
        return session.link().meter(id, point);
    }

    /** Removes the strip with its sends; see {@link Session} for what happens to what fed a removed bus. */
    public void remove() {
        checkLive();
        session.remove(this);
    }

    /** The strips this one feeds, by output or send. */
    List<Strip> feeds() {
        List<Strip> result = new ArrayList<>();
        if (output != null) {
            result.add(output);
        }
        result.addAll(sends.keySet());
        return result;
    }

    void forgetSend(Send send) {
        sends.remove(send.destination());
    }

    Map<Bus, Send> sendMap() {
        return sends;
    }

    void outputRemoved(Bus fallback) {
        output = fallback;
    }

    void checkLive() {
        if (removed) {
            throw new DeskException(name + " was removed");
        }
    }

    private void refuseLoop(Bus destination, String action) {
        List<Strip> loop = Routing.loopThrough(this, destination, Strip::feeds);
        if (!loop.isEmpty()) {
            throw new DeskException(action + " would make a loop: "
                    + String.join(" -> ", loop.stream().map(Strip::name).toList()));
        }
    }

    private void set(Parameter parameter, double value) {
        check(parameter, value);
        session.execute(new EngineCommand.SetParameter(id, parameter, value));
    }

    private void check(Parameter parameter, double value) {
        checkLive();
        String problem = parameter.check(value);
        if (problem != null) {
            throw new DeskException(name + "." + parameter.scriptName() + " " + Parameter.format(value) + " " + problem);
        }
    }

    /** A change by hand: checked, then handed to the parameter's lane (write, touch, latch) around the change. */
    private void write(Parameter parameter, double value) {
        check(parameter, value);
        if (parameter == Parameter.TRIM && value != trim) {
            refuseFrozen(name + ".trim");
        }
        Lane lane = lanes.get(parameter);
        if (lane != null) {
            lane.beforeWrite();
        }
        store(parameter, value);
        if (lane != null) {
            lane.afterWrite(value);
        }
    }

    /** Sets the parameter in the engine and the model, leaving lanes alone. */
    private void store(Parameter parameter, double value) {
        set(parameter, value);
        storeField(parameter, value);
    }

    private void storeField(Parameter parameter, double value) {
        switch (parameter) {
            case TRIM -> trim = value;
            case FADER -> fader = value;
            case PAN -> pan = value;
            case BALANCE -> balance = value;
            case MUTE -> mute = value >= 0.5;
            default -> throw new IllegalArgumentException(parameter.toString());
        }
    }

    /** The value set for {@code parameter} (trim, fader, pan, balance, mute as 0 or 1), whatever a lane plays. */
    double stored(Parameter parameter) {
        return switch (parameter) {
            case TRIM -> trim;
            case FADER -> fader;
            case PAN -> pan;
            case BALANCE -> balance;
            case MUTE -> mute ? 1 : 0;
            default -> throw new IllegalArgumentException("a strip does not store " + parameter);
        };
    }

    /** The value now: the lane's while it plays, else the one set. */
    private double now(Parameter parameter, double set) {
        Lane lane = lanes.get(parameter);
        return lane != null && lane.playing() ? lane.valueAt(session.transportSample()) : set;
    }

    void transportChanged(boolean rolling) {
        for (Lane lane : lanes.values()) {
            lane.transportChanged(rolling);
        }
        for (Send send : sends.values()) {
            send.transportChanged(rolling);
        }
        for (Insert insert : inserts) {
            insert.transportChanged(rolling);
        }
    }

    /**
     * Adds an insert of {@code type} (e.g. "eq") at place {@code at} of the chain (-1: last) with
     * {@code settings} by parameter name, bypassed or not; it fades in.
     */
    public Insert insert(String type, Map<String, Double> settings, int at, boolean bypassed) {
        return insert(type, settings, at, bypassed, null);
    }

    /** As {@link #insert(String, Map, int, boolean)}, a plugin restored to {@code state} (see {@link Insert#state}). */
    public Insert insert(String type, Map<String, Double> settings, int at, boolean bypassed, String state) {
        checkLive();
        refuseFrozen(name + ".insert");
        return Insert.create(session, this, type, settings, at, bypassed, state, null);
    }

    /** As a session file keeps an insert whose plugin stopped the engine: in the chain, not made in the engine. */
    Insert insertFailed(String type, Map<String, Double> settings, boolean bypassed, String state, String failure) {
        checkLive();
        return Insert.create(session, this, type, settings, -1, bypassed, state, failure);
    }

    /** The inserts, in the order they run. */
    public List<Insert> inserts() {
        return List.copyOf(inserts);
    }

    /** The live list of inserts, for {@link Insert} to reorder. */
    List<Insert> insertList() {
        return inserts;
    }

    /** The session the strip belongs to. */
    public Session session() {
        return session;
    }

    /** The delay the strip's inserts add, in samples. */
    public int latency() {
        return inserts.stream().mapToInt(Insert::latency).sum();
    }

    /** Makes the strip again in a fresh engine (see {@link Session}'s reconnection). */
    void replayCreation() {
        session.replayCreation(this);
    }

    /**
     * Sends the strip's settings to a fresh engine in which it has just been made: its output, trim, fader,
     * pan or balance, pan law, mute, solo, polarity, loudness point, lanes and sends, as they are now.
     */
    void replaySettings() {
        if (this != session.master() && output != session.master()) {
            session.execute(new EngineCommand.SetOutput(id, output == null ? NodeIds.NO_NODE : output.id));
        }
        session.execute(new EngineCommand.SetParameter(id, Parameter.TRIM, trim));
        session.execute(new EngineCommand.SetParameter(id, Parameter.FADER, fader));
        session.execute(channels == 1 ? new EngineCommand.SetParameter(id, Parameter.PAN, pan)
                : new EngineCommand.SetParameter(id, Parameter.BALANCE, balance));
        session.execute(new EngineCommand.SetParameter(id, Parameter.PAN_LAW, panLaw));
        session.execute(new EngineCommand.SetParameter(id, Parameter.MUTE, mute ? 1 : 0));
        session.execute(new EngineCommand.SetParameter(id, Parameter.SOLO, solo ? 1 : 0));
        session.execute(new EngineCommand.SetParameter(id, Parameter.SOLO_SAFE, soloSafe ? 1 : 0));
        for (boolean inverted : phase) {
            if (inverted) {
                session.execute(new EngineCommand.SetPolarity(id, phase.clone()));
                break;
            }
        }
        if (this == session.master() || loudnessPoint != null) {
            session.execute(new EngineCommand.SetLoudness(id, loudnessPoint));
        }
        for (Lane lane : lanes.values()) {
            lane.replay();
        }
        for (Send send : sends.values()) {
            send.replay();
        }
        for (Insert insert : inserts) {
            insert.replay();
        }
    }
}
