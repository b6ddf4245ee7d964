package desk.engine.midi;

/**
 * The kinds of MIDI control a mapping listens to, with the resolution each carries.
 * <p>
 * Threads: any thread (immutable).
 */
public enum MidiControlType {
    /** A 7-bit control change: controller 0..127, values 0..127. */
    CC("cc", 127),
    /**
     * A 14-bit control change pair: the most significant half on controller 0..31, the least on that number plus
     * 32; values 0..16383 (the coarse half moves the value, the fine half refines it).
     */
    CC14("cc14", 31),
    /** A non-registered parameter number 0..16383 (controllers 99 and 98), with 14-bit data entry (6 and 38). */
    NRPN("nrpn", 16383),
    /** The pitch bend wheel of a channel, 14 bits: the usual message of motorised faders. */
    PITCH_BEND("pitchbend", 0);

    private final String scriptName;
    private final int highestNumber;

    MidiControlType(String scriptName, int highestNumber) {
        this.scriptName = scriptName;
        this.highestNumber = highestNumber;
    }

    /** The key scripts use for it: {@code cc}, {@code cc14}, {@code nrpn} or {@code pitchbend}. */
    public String scriptName() {
        return scriptName;
    }

    /** The highest controller or parameter number (0 for pitch bend, which has none). */
    public int highestNumber() {
        return highestNumber;
    }

    /** The type scripts call {@code name}, or null. */
    public static MidiControlType ofScriptName(String name) {
        for (MidiControlType type : values()) {
            if (type.scriptName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
