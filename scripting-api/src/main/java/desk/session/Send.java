package desk.session;

import desk.engine.EngineCommand;
import desk.engine.Parameter;

/**
 * A send from a strip to a group or aux bus: a copy of the strip's signal picked off before or after its
 * fader, at its own level, panned like the strip unless given a pan of its own.
 * <p>
 * Threads: the session's control thread.
 */
public final class Send {
    private final Session session;
    private final int id;
    private final Strip source;
    private final Bus destination;
    private double level;
    private boolean preFader;
    private double pan = Double.NaN;
    private Lane levelLane;
    private boolean removed;

    Send(Session session, int id, Strip source, Bus destination, double level, boolean preFader) {
        this.session = session;
        this.id = id;
        this.source = source;
        this.destination = destination;
        this.level = level;
        this.preFader = preFader;
    }

    /** The strip that sends. */
    public Strip source() {
        return source;
    }

    /** The bus it sends to. */
    public Bus destination() {
        return destination;
    }

    /** Send level, dB (-inf allowed). */
    public double level() {
        return levelLane != null && levelLane.playing() ? levelLane.valueAt(session.transportSample()) : level;
    }

    /**
     * Refuses a level of {@code value} (as the script wrote it) set by a script while the level's lane reads
     * (mode "read"), where it would not be heard.
     */
    public void refuseUnheard(String value) {
        if (levelLane != null) {
            levelLane.refuseWhileReading(label() + ".level " + value, "level");
        }
    }

    /** Sets the send level, dB: -inf or -144..+6. */
    public void level(double db) {
        check(Parameter.SEND_LEVEL, db);
        if (levelLane != null) {
            levelLane.beforeWrite();
        }
        storeLevel(db);
        if (levelLane != null) {
            levelLane.afterWrite(db);
        }
    }

    /** The level set, whatever a lane plays. */
    double storedLevel() {
        return level;
    }

    /** The level's lane, or null if none was made. */
    Lane levelLane() {
        return levelLane;
    }

    /** The automation lane of the send's {@code "level"}, made empty (in read mode) on first use. */
    public Lane lane(String parameter) {
        checkLive();
        if (!"level".equals(parameter)) {
            throw new DeskException(label() + ".lane(" + Session.describe(parameter) + "): a send has a \"level\" lane");
        }
        if (levelLane == null) {
            levelLane = new Lane(session, "send " + source.name() + " -> " + destination.name(),
                    Lane.Target.of(id, Parameter.SEND_LEVEL), this::storeLevel, this::checkLive);
        }
        return levelLane;
    }

    /** Moves the level to {@code target} dB over {@code samples} samples, then leaves it there. */
    public void ramp(String parameter, double target, long samples, desk.engine.Interpolation interpolation) {
        checkLive();
        if (!"level".equals(parameter)) {
            throw new DeskException(label() + ".ramp(" + Session.describe(parameter) + "): a send ramps its \"level\"");
        }
        check(Parameter.SEND_LEVEL, target);
        if (levelLane != null && levelLane.playing()) {
            throw new DeskException(label() + ".ramp(\"level\"): the level follows its lane (mode " + levelLane.mode()
                    + "): set the lane's mode to \"off\" first");
        }
        if (samples < 1) {
            throw new DeskException(label() + ".ramp(\"level\") length: must be at least one sample");
        }
        session.execute(new EngineCommand.Glide(id, Parameter.SEND_LEVEL, target, samples, interpolation));
        level = target;
    }

    private void storeLevel(double db) {
        set(Parameter.SEND_LEVEL, db);
        level = db;
    }

    void transportChanged(boolean rolling) {
        if (levelLane != null) {
            levelLane.transportChanged(rolling);
        }
    }

    /** True when the send picks off before the fader. */
    public boolean pre() {
        return preFader;
    }

    /** Picks off before ({@code true}) or after the fader. */
    public void pre(boolean pre) {
        set(Parameter.SEND_PRE_FADER, pre ? 1 : 0);
        preFader = pre;
    }

    /** The send's own pan (or balance for a wider source), or NaN when it follows the source strip. */
    public double pan() {
        return pan;
    }

    /** Sets the send's own pan, -1..+1; NaN makes it follow the source strip again. */
    public void pan(double value) {
        set(Parameter.SEND_PAN, value);
        pan = value;
    }

    /** Removes the send. */
    public void remove() {
        checkLive();
        session.execute(new EngineCommand.RemoveSend(id));
        source.forgetSend(this);
        removed = true;
    }

    void markRemoved() {
        removed = true;
    }

    private void set(Parameter parameter, double value) {
        check(parameter, value);
        session.execute(new EngineCommand.SetParameter(id, parameter, value));
    }

    private void check(Parameter parameter, double value) {
        checkLive();
        String problem = parameter.check(value);
        if (problem != null) {
            throw new DeskException(label() + "." + parameter.scriptName() + " " + Parameter.format(value) + " " + problem);
        }
    }

    private void checkLive() {
        if (removed) {
            throw new DeskException(label() + " was removed");
        }
    }

    @Override
    public String toString() {
        return "Send " + source.name() + " -> " + destination.name() + " " + Parameter.format(round(level()))
                + " dB " + (preFader ? "pre" : "post") + "-fader";
    }

    /** How refusals name it, as scripts reach it: {@code Vox.send(Verb)}. */
    public String label() {
        return source.name() + ".send(" + destination.name() + ")";
    }

    private static double round(double value) {
        return Double.isInfinite(value) ? value : Math.round(value * 10) / 10.0;
    }

    /** Makes the send again in a fresh engine, with its level, pan, pick-off point and level lane as they are now. */
    void replay() {
        session.execute(new EngineCommand.CreateSend(id, source.id, destination.id, preFader, level));
        if (!Double.isNaN(pan)) {
            session.execute(new EngineCommand.SetParameter(id, Parameter.SEND_PAN, pan));
        }
        if (levelLane != null) {
            levelLane.replay();
        }
    }
}
