package desk.engine.control;

import desk.engine.Limits;
import desk.engine.dsp.SmoothedGains;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.Automation;
import desk.engine.rt.CommandRing;
import desk.engine.rt.Connection;

import java.util.Iterator;

/**
 * The life after removal: a path that is re-routed or removed fades out at equal power over the crossfade
 * time and stays in the plan until it is silent; a removed strip stays until its paths have faded; a one-off
 * ramp's lane stays until the audio side has certainly finished it. {@link #maintain} releases whatever is
 * done by the engine's current position, and knows the earliest time there may be something to release, so
 * it costs nothing in between.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class Retirement {
    private static final float[] SILENT = new float[Limits.MAX_TRACK_CHANNELS * 2];

    private final MixerModel model;
    private final AudioGraph graph;
    private final CommandWriter writer;
    private final PlanCompiler plans;
    private final GainCompiler gains;
    /** The engine time from which {@link #maintain} may have something to release; MAX_VALUE: nothing. */
    private long maintainAt = Long.MAX_VALUE;

    Retirement(MixerModel model, AudioGraph graph, CommandWriter writer, PlanCompiler plans, GainCompiler gains) {
        this.model = model;
        this.graph = graph;
        this.writer = writer;
        this.plans = plans;
        this.gains = gains;
    }

    /** The engine time by which a path faded out from now on has certainly gone silent. */
    long retireTime() {
        long start = writer.time() != CommandRing.NOW ? writer.time() : graph.position() + Limits.MAX_BLOCK;
        return start + model.crossfadeSamples + 1;
    }

    /** Fades {@code connection} out of {@code from} (equal power) and keeps it in the plan until {@code until}. */
    void retire(StripState from, Connection connection, long until) {
        retire(from, connection, until, SmoothedGains.Shape.EQUAL_POWER);
    }

    /** As {@link #retire(StripState, Connection, long)}, fading with {@code shape}. */
    void retire(StripState from, Connection connection, long until, SmoothedGains.Shape shape) {
        if (connection == null) {
            return;
        }
        from.retiring.add(new RetiredPath(connection, until));
        maintainBy(until);
        writer.shapedRamp(connection.gains(), SILENT, SILENT.length, model.crossfadeSamples, shape);
    }

    /** Fades a strip's direct out away (equal power) and keeps it playing until {@code until}, if it has one. */
    void retireDirectOut(StripState entry, long until) {
        DirectOutState out = entry.directOut;
        if (out == null) {
            return;
        }
        retire(entry, out.connection, until);
        out.until = until;
        entry.directOut = null;
    }

    /** Makes {@link #maintain} look again at engine time {@code time}. */
    void maintainBy(long time) {
        maintainAt = Math.min(maintainAt, time);
    }

    /**
     * Releases paths that have finished fading out, strips removed whose paths have, direct outs turned off
     * and one-off ramps that have ended, and drops them from the plan.
     */
    void maintain() {
        long now = graph.position();
        if (now < maintainAt) {
            return;
        }
        boolean changed = false;
        for (StripState entry : model.strips.values()) {
            changed |= entry.retiring.removeIf(retired -> retired.until() <= now);
        }
        for (Iterator<StripState> i = model.strips.values().iterator(); i.hasNext(); ) {
            StripState entry = i.next();
            if (entry.removingUntil >= 0 && entry.removingUntil <= now && entry.retiring.isEmpty()) {
                i.remove();
                model.stripIndex.remove(entry.id());
                changed = true;
            }
        }
        changed |= model.directOuts.removeIf(out -> out.until >= 0 && out.until <= now);
        boolean glidesEnded = false;
        for (StripState entry : model.strips.values()) {
            glidesEnded |= entry.lanes.values().removeIf(lane -> glideEnd(lane) <= now);
        }
        for (InsertState insert : model.inserts.values()) {
            for (int index = 0; index < insert.lanes.length; index++) {
                if (glideEnd(insert.lanes[index]) <= now) {
                    insert.lanes[index] = null;
                    glidesEnded = true;
                }
            }
        }
        for (SendState send : model.sends.values()) {
            if (glideEnd(send.levelLane) <= now) {
                send.levelLane = null;
                glidesEnded = true;
            }
        }
        if (changed) {
            plans.publish();
        }
        if (glidesEnded) {
            gains.refreshAll();
        }
        maintainAt = nextMaintenance();
    }

    /** When the audio side has certainly finished {@code lane} if it is a one-off ramp; else MAX_VALUE. */
    static long glideEnd(Automation.ClockedLane lane) {
        return lane != null && lane.engineClock()
                ? lane.lane().time(lane.lane().size() - 1) + Automation.CONTROL_PERIOD + Limits.MAX_BLOCK
                : Long.MAX_VALUE;
    }

    /** The earliest engine time at which a path, a strip or a glide still held may be released. */
    private long nextMaintenance() {
        long next = Long.MAX_VALUE;
        for (StripState entry : model.strips.values()) {
            for (RetiredPath retired : entry.retiring) {
                next = Math.min(next, retired.until());
            }
            if (entry.removingUntil >= 0) {
                next = Math.min(next, entry.removingUntil);
            }
            for (Automation.ClockedLane lane : entry.lanes.values()) {
                next = Math.min(next, glideEnd(lane));
            }
        }
        for (SendState send : model.sends.values()) {
            next = Math.min(next, glideEnd(send.levelLane));
        }
        for (InsertState insert : model.inserts.values()) {
            for (Automation.ClockedLane lane : insert.lanes) {
                next = Math.min(next, glideEnd(lane));
            }
        }
        return next;
    }
}
