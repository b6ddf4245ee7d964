package desk.engine.control;

import desk.engine.insert.ProcessorType;
import desk.engine.meter.MeterPoint;
import desk.engine.rt.Automation;
import desk.engine.rt.InsertSlot;

/**
 * The control side's record of an insert: its type, the strip it sits on, its parameters as last set, the
 * lanes that drive them, whether it is bypassed, the strip its side chain listens to, and its slot on the
 * audio side.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class InsertState {
    final int id;
    final StripState strip;
    final ProcessorType type;
    final InsertSlot slot;
    final double[] values;
    final Automation.ClockedLane[] lanes;
    boolean bypassed;
    /** Whether it rests: bypassed, and not run at all (see {@link desk.engine.EngineCommand.RestInsert}). */
    boolean resting;
    StripState key;
    MeterPoint keyPoint;

    InsertState(int id, StripState strip, ProcessorType type, InsertSlot slot, double[] values, boolean bypassed) {
        this.id = id;
        this.strip = strip;
        this.type = type;
        this.slot = slot;
        this.values = values;
        this.lanes = new Automation.ClockedLane[values.length];
        this.bypassed = bypassed;
    }

    /** How messages name it: "insert 12 (eq)". */
    String label() {
        return "insert " + id + " (" + type.name() + ")";
    }
}
