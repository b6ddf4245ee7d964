package desk.engine.rt;

import desk.engine.AutomationLane;
import desk.engine.RealTime;
import desk.engine.dsp.GainMatrix;
import desk.engine.dsp.PanLaw;
import desk.engine.dsp.SmoothedGains;

/**
 * The automation the audio thread plays: an immutable table of gain vectors (a fader, a trim, the gain
 * matrix of a connection) each driven by one or more lanes, compiled by the control side and swapped in
 * whole through the command ring.
 * <p>
 * The audio thread draws every driven vector as straight segments in gain between exact evaluations of its
 * lanes. Segments end on multiples of {@value #CONTROL_PERIOD} samples of the lane's clock and at every
 * breakpoint (a corner gets a one-sample segment of its own), so each segment's last sample has exactly the
 * lane's value, a step starts exactly on its sample (declicked over the segment after it), and the result
 * does not depend on how blocks are cut. Lanes on the transport clock follow
 * the transport (standing still while it is stopped); lanes on the engine clock (one-off ramps) follow the
 * sample clock.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread only.
 */
public final class Automation {
    /** Length of a segment between evaluations when no breakpoint comes sooner, samples. */
    public static final int CONTROL_PERIOD = 64;

    /** The empty table. */
    public static final Automation NONE = new Automation(new Target[0]);

    /** A lane with the clock it runs on. */
    public record ClockedLane(AutomationLane lane, boolean engineClock) {
    }

    /** What a driven gain vector is. */
    enum Kind {
        /** A strip's fader: one gain from a level lane. */
        FADER,
        /** A strip's trim with its polarity: one gain per channel from a level lane, signed. */
        TRIM,
        /** A connection's matrix: level, pan or balance and mute, each from a lane or a fixed value. */
        MATRIX,
        /** A parameter of an insert, in its unit, from a lane; the processor glides between evaluations. */
        PARAMETER
    }

    /**
     * One driven gain vector: its lanes (null where a fixed value serves) and the fixed values.
     */
    public static final class Target {
        final SmoothedGains gains;
        final Kind kind;
        final float[] values;
        final float[] signs;
        final ClockedLane level;
        final ClockedLane position;
        final ClockedLane mute;
        final double fixedLevel;
        final double fixedPosition;
        final boolean fixedMute;
        final boolean gateOpen;
        final int channels;
        final int destinationChannels;
        final PanLaw law;
        final InsertSlot slot;
        final int parameter;

        private Target(SmoothedGains gains, Kind kind, float[] signs, ClockedLane level, ClockedLane position,
                       ClockedLane mute, double fixedLevel, double fixedPosition, boolean fixedMute,
                       boolean gateOpen, int channels, int destinationChannels, PanLaw law) {
            this(gains, kind, signs, level, position, mute, fixedLevel, fixedPosition, fixedMute, gateOpen, channels,
                    destinationChannels, law, null, -1);
        }

        private Target(SmoothedGains gains, Kind kind, float[] signs, ClockedLane level, ClockedLane position,
                       ClockedLane mute, double fixedLevel, double fixedPosition, boolean fixedMute,
                       boolean gateOpen, int channels, int destinationChannels, PanLaw law, InsertSlot slot,
                       int parameter) {
            this.slot = slot;
            this.parameter = parameter;
            this.gains = gains;
            this.kind = kind;
            this.values = new float[gains == null ? 0 : gains.size()];
            this.signs = signs;
            this.level = level;
            this.position = position;
            this.mute = mute;
            this.fixedLevel = fixedLevel;
            this.fixedPosition = fixedPosition;
            this.fixedMute = fixedMute;
            this.gateOpen = gateOpen;
            this.channels = channels;
            this.destinationChannels = destinationChannels;
            this.law = law;
        }

        /** A fader driven by {@code level} (a lane of dB values). */
        public static Target fader(SmoothedGains gains, ClockedLane level) {
            return new Target(gains, Kind.FADER, null, level, null, null, 1, 0, false, true, 1, 1, null);
        }

        /** A trim driven by {@code level}, with per-channel signs (+1 or -1 for inverted polarity). */
        public static Target trim(SmoothedGains gains, ClockedLane level, float[] signs) {
            return new Target(gains, Kind.TRIM, signs.clone(), level, null, null, 1, 0, false, true,
                    signs.length, 1, null);
        }

        /**
         * A connection matrix: {@code level} (dB lane) or {@code fixedLevel} (linear gain), {@code position}
         * (pan or balance lane) or {@code fixedPosition}, {@code mute} (0/1 lane) or {@code fixedMute}, and
         * the solo gate.
         */
        public static Target matrix(SmoothedGains gains, int channels, int destinationChannels, PanLaw law,
                             ClockedLane level, double fixedLevel, ClockedLane position, double fixedPosition,
                             ClockedLane mute, boolean fixedMute, boolean gateOpen) {
            return new Target(gains, Kind.MATRIX, null, level, position, mute, fixedLevel, fixedPosition,
                    fixedMute, gateOpen, channels, destinationChannels, law);
        }

        /** Parameter {@code parameter} of the insert in {@code slot}, driven by {@code lane} (values in its unit). */
        public static Target parameter(InsertSlot slot, int parameter, ClockedLane lane) {
            return new Target(null, Kind.PARAMETER, null, lane, null, null, 0, 0, false, true, 0, 0, null, slot,
                    parameter);
        }

        @RealTime
        private void rtEvaluate(long transportTime, long engineTime, int segment) {
            switch (kind) {
                case PARAMETER -> slot.rtGlide(parameter,
                        level.lane().valueAt(level.engineClock() ? engineTime : transportTime), segment);
                case FADER -> values[0] = (float) rtGain(level, transportTime, engineTime);
                case TRIM -> {
                    float gain = (float) rtGain(level, transportTime, engineTime);
                    for (int c = 0; c < values.length; c++) {
                        values[c] = signs[c] * gain;
                    }
                }
                case MATRIX -> {
                    double gain = level == null ? fixedLevel : rtGain(level, transportTime, engineTime);
                    double place = position == null ? fixedPosition
                            : position.lane().valueAt(position.engineClock() ? engineTime : transportTime);
                    boolean muted = mute == null ? fixedMute
                            : mute.lane().valueAt(mute.engineClock() ? engineTime : transportTime) >= 0.5;
                    GainMatrix.fill(values, channels, destinationChannels, law, place, gain, gateOpen && !muted);
                }
            }
        }

        @RealTime
        private static double rtGain(ClockedLane lane, long transportTime, long engineTime) {
            return lane.lane().gainAt(lane.engineClock() ? engineTime : transportTime);
        }
    }

    private final Target[] targets;
    private final boolean anyEngineClock;
    private final boolean anyTransportClock;

    public Automation(Target[] targets) {
        this.targets = targets;
        boolean engine = false;
        boolean transport = false;
        for (Target target : targets) {
            for (ClockedLane lane : new ClockedLane[]{target.level, target.position, target.mute}) {
                if (lane != null) {
                    engine |= lane.engineClock();
                    transport |= !lane.engineClock();
                }
            }
        }
        this.anyEngineClock = engine;
        this.anyTransportClock = transport;
    }

    /** True when nothing is automated. */
    @RealTime
    boolean isEmpty() {
        return targets.length == 0;
    }

    /**
     * Starts the segment that begins at the given times: evaluates every lane where the segment ends and
     * ramps each vector there. Returns the segment's length in samples (at least 1).
     */
    @RealTime
    int rtStartSegment(boolean rolling, long transportTime, long engineTime) {
        long length = CONTROL_PERIOD - Math.floorMod(engineTime, CONTROL_PERIOD);
        boolean transportMoves = rolling && anyTransportClock;
        if (transportMoves) {
            length = Math.min(length, CONTROL_PERIOD - Math.floorMod(transportTime, CONTROL_PERIOD));
        }
        if (anyEngineClock || transportMoves) {
            for (Target target : targets) {
                length = rtNearestPoint(target.level, length, transportMoves, transportTime, engineTime);
                length = rtNearestPoint(target.position, length, transportMoves, transportTime, engineTime);
                length = rtNearestPoint(target.mute, length, transportMoves, transportTime, engineTime);
            }
        }
        int segment = (int) Math.max(1, length);
        long transportEnd = transportMoves ? transportTime + segment - 1 : transportTime;
        long engineEnd = engineTime + segment - 1;
        for (Target target : targets) {
            target.rtEvaluate(transportEnd, engineEnd, segment);
            if (target.gains != null) {
                target.gains.rtRampTo(target.values, segment, SmoothedGains.Shape.LINEAR);
            }
        }
        return segment;
    }

    @RealTime
    private static long rtNearestPoint(ClockedLane lane, long length, boolean transportMoves, long transportTime,
                                       long engineTime) {
        if (lane == null || (!lane.engineClock() && !transportMoves)) {
            return length;
        }
        long now = lane.engineClock() ? engineTime : transportTime;
        long next = lane.lane().rtNextBoundaryAfter(now);
        return next == Long.MAX_VALUE ? length : Math.min(length, next - now);
    }
}
