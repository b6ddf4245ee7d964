package desk.engine.dsp;

import desk.engine.RealTime;

/**
 * How a mono signal is spread over a stereo pair as it is panned: the level of each side at the centre
 * names the law. Every law gives exactly unity on one side and silence on the other at the hard
 * positions. Immutable; any thread.
 */
public enum PanLaw {
    /** Unity at the centre: the far side is turned down linearly, the near side stays at unity. */
    ZERO_DB(0.0),
    /** Constant power (sine/cosine): -3 dB at the centre, the default. */
    MINUS_3_DB(-3.0),
    /** The geometric mean of the -3 and -6 dB laws: -4.5 dB at the centre. */
    MINUS_4_5_DB(-4.5),
    /** Linear (constant amplitude): -6 dB at the centre. */
    MINUS_6_DB(-6.0);

    private final double centreDb;

    PanLaw(double centreDb) {
        this.centreDb = centreDb;
    }

    /** The nominal level of each side at the centre, in dB (0, -3, -4.5 or -6). */
    public double centreDb() {
        return centreDb;
    }

    /** The law whose nominal centre level is {@code db}, or null if there is none. */
    public static PanLaw ofCentreDb(double db) {
        for (PanLaw law : values()) {
            if (law.centreDb == db) {
                return law;
            }
        }
        return null;
    }

    /** Gain of the left side for a pan position from -1 (hard left) to +1 (hard right). */
    @RealTime
    public double left(double pan) {
        return side(-pan);
    }

    /** Gain of the right side for a pan position from -1 (hard left) to +1 (hard right). */
    @RealTime
    public double right(double pan) {
        return side(pan);
    }

    /** Gain of the side towards which a position {@code towards} (-1 away .. +1 fully towards) pans. */
    @RealTime
    private double side(double towards) {
        double linear = (1.0 + towards) / 2.0;
        double power = Math.sin((1.0 + towards) * Math.PI / 4.0);
        return switch (this) {
            case ZERO_DB -> Math.min(1.0, 1.0 + towards);
            case MINUS_3_DB -> power;
            case MINUS_4_5_DB -> Math.sqrt(power * linear);
            case MINUS_6_DB -> linear;
        };
    }
}
