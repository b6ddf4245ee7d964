package desk.engine.rt;

import desk.engine.RealTime;
import desk.engine.midi.MidiReportSink;

/**
 * Reports of MIDI messages in preallocated columns, one row each: the engine sample, the input port, the
 * packed message, the binding, the value it gave and whether the audio thread applied it. The router's ring to
 * the control side and the control side's last value per binding both keep their reports in one.
 * <p>
 * Threads: {@link #rtPut} on the thread that writes the row (the audio thread, for the ring), {@link #handTo}
 * on the control side; the ring hands rows from one to the other through its indices.
 */
public final class MidiReportTable {
    private final long[] sample;
    private final int[] port;
    private final int[] message;
    private final int[] binding;
    private final double[] value;
    private final boolean[] applied;

    /** A table of {@code rows} rows. */
    public MidiReportTable(int rows) {
        sample = new long[rows];
        port = new int[rows];
        message = new int[rows];
        binding = new int[rows];
        value = new double[rows];
        applied = new boolean[rows];
    }

    /** Writes one report into {@code row}. */
    @RealTime
    public void rtPut(int row, long sampleOf, int portOf, int messageOf, int bindingOf, double valueOf,
                      boolean appliedOf) {
        sample[row] = sampleOf;
        port[row] = portOf;
        message[row] = messageOf;
        binding[row] = bindingOf;
        value[row] = valueOf;
        applied[row] = appliedOf;
    }

    /** Hands the report in {@code row} to {@code sink}: on the control side, which takes the reports. */
    public void handTo(int row, MidiReportSink sink) {
        sink.report(sample[row], port[row], message[row], binding[row], value[row], applied[row]);
    }
}
