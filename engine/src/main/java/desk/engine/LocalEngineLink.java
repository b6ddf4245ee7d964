package desk.engine;

import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.engine.midi.MidiReport;

/**
 * An {@link EngineLink} to an {@link Engine} in this process. Threads: any thread.
 */
public final class LocalEngineLink implements EngineLink {
    private final Engine engine;

    /** A link to {@code engine}. */
    public LocalEngineLink(Engine engine) {
        this.engine = engine;
    }

    /** The engine behind the link. */
    public Engine engine() {
        return engine;
    }

    @Override
    public void execute(EngineCommand command) {
        engine.execute(command);
    }

    @Override
    public MeterReading meter(int stripId, MeterPoint point) {
        return engine.meter(stripId, point);
    }

    @Override
    public int stripLatency(int stripId) {
        return engine.stripLatency(stripId);
    }

    @Override
    public ClockReading clock() {
        return engine.clock();
    }

    @Override
    public InsertReading insert(int insertId) {
        return engine.insert(insertId);
    }

    @Override
    public String insertState(int insertId) {
        return engine.insertState(insertId);
    }

    @Override
    public MidiReport midiEvents(boolean all) {
        return engine.midiEvents(all);
    }

    @Override
    public int sampleRate() {
        return engine.sampleRate();
    }

    @Override
    public int capturePorts() {
        return engine.capturePorts();
    }

    @Override
    public long position() {
        return engine.position();
    }

    @Override
    public TransportState transport() {
        return engine.transport();
    }

    @Override
    public long failures() {
        return engine.failures();
    }

    @Override
    public Throwable lastFailure() {
        return engine.lastFailure();
    }

    @Override
    public DiskState disk() {
        return engine.disk();
    }
}
