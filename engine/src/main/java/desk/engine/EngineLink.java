package desk.engine;

import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.engine.midi.MidiReport;

/**
 * How the session talks to an engine: commands in, readings out. In-process ({@link LocalEngineLink}) for
 * offline rendering and tests; the same interface fronts an engine in another process when live.
 * <p>
 * Threads: any thread; implementations serialise commands.
 */
public interface EngineLink {
    /** Applies a command whole, or throws {@link EngineException} and changes nothing. */
    void execute(EngineCommand command);

    /** A snapshot of a strip's meter. */
    MeterReading meter(int stripId, MeterPoint point);

    /**
     * The delay from the session's sources to strip {@code stripId}'s output, in samples: its inserts' latency
     * and that of everything feeding it. The master's is the session's latency.
     */
    int stripLatency(int stripId);

    /** What the engine's clock shared with other machines says (see {@link EngineCommand.SetClock}). */
    ClockReading clock();

    /** What insert {@code insertId} reports: its latency and gain reduction. */
    InsertReading insert(int insertId);

    /** What insert {@code insertId} keeps beyond its parameters, as text (a plugin's LV2 state), or null. */
    String insertState(int insertId);

    /**
     * The MIDI messages the engine received since the last call, in the order its audio thread handled them,
     * with what their bindings made of them: every one ({@code all}), or only the last value each binding gave
     * (what a session needs when no learn or handler waits for the others). Control thread.
     */
    MidiReport midiEvents(boolean all);

    /** The engine's sample rate, Hz. */
    int sampleRate();

    /** Number of capture ports of the interface. */
    int capturePorts();

    /** The engine's sample position. */
    long position();

    /** The transport as of the end of the last processed callback. */
    TransportState transport();

    /** How many failures inside DSP so far (a failing node is bypassed; a failing block plays silence). */
    long failures();

    /** The last failure inside DSP, or null. */
    Throwable lastFailure();

    /**
     * What the disk side has done: whether a take records, the files of finished takes, the problems of
     * recording and clip playback, the frames clip playback missed.
     */
    DiskState disk();

    /**
     * Registers what rebuilds the session's whole current state in a fresh engine. A link that can lose its
     * engine and reconnect to a new one (the engine process on JACK) calls it from {@link #maintain}, on the
     * control thread, before anything else reaches the new engine; in-process links never need it.
     */
    default void onReconnect(Runnable replay) {
    }

    /**
     * The control thread's turn, taken often (the live control loop takes one every few milliseconds): a link
     * that has connected to a fresh engine since the last turn has the session replay its state into it now
     * and returns true; otherwise it does nothing and returns false.
     */
    default boolean maintain() {
        return false;
    }

    /**
     * True while an engine answers; a link that can lose its engine (the engine process on JACK) says false
     * from the loss until it has reconnected. Any thread.
     */
    default boolean connected() {
        return true;
    }

    /**
     * The transport sample the audio stopped at when the engine was last lost, as the engine said before it
     * went (its JACK server gone), or -1 when it could not say (killed) or was never lost. Any thread.
     */
    default long positionAtLoss() {
        return -1;
    }

    /**
     * The id of the insert whose plugin the engine was running when it was last lost (its native code took the
     * process down), or 0 when none or never lost; asking forgets it. Control thread.
     */
    default int lostInsideInsert() {
        return 0;
    }

    /**
     * Whether the engine outlives this desk and keeps the session's state for the next one (an engine on the
     * network); the session then leaves its state with it after every change ({@link #keepSession}).
     */
    default boolean keepsSession() {
        return false;
    }

    /**
     * Leaves the session's state, the session document as JSON text, with an engine that keeps it; nothing for
     * the others. Control thread.
     */
    default void keepSession(String document) {
    }

    /**
     * The session's state the engine kept when this link first connected to it (another desk drove it before,
     * and the audio played on), for the session to take up; null when there was none. Control thread.
     */
    default KeptSession keptSession() {
        return null;
    }

    /**
     * Renames the ports of the tracks and direct outs the desks before made, as {@code kept} lists them, out of
     * the way of new ones of the same names, on an engine that kept a session; until {@link #releasePorts}.
     * Control thread.
     */
    default void putPortsAside(KeptSession kept) {
    }

    /**
     * Takes the strips, sources and master inserts the desks before made, as {@code kept} lists them, out of an
     * engine that kept a session, a command each: under a hold of updates the caller keeps, they leave the plan
     * in the same change that brings what replaces them. Control thread.
     */
    default void takeOut(KeptSession kept) {
    }

    /** Takes away the ports {@link #putPortsAside} put out of the way, once the plan no longer uses them. Control thread. */
    default void releasePorts(KeptSession kept) {
    }
}
