package desk.engine;

/**
 * What a track hears: its live input or its playback (its clips). The choice follows the mode, whether the
 * track is armed, whether the transport rolls and whether a take is recording:
 * <pre>
 * mode   armed  stopped  rolling  recording
 * INPUT  any    input    input    input
 * AUTO   yes    input    playback input
 * AUTO   no     playback playback playback
 * OFF    any    playback playback playback
 * </pre>
 * ("playback" is silence until a track has clips to play.) Immutable; any thread.
 */
public enum MonitorMode {
    /** Always the live input. */
    INPUT("input"),
    /** The live input while armed and stopped or recording; playback otherwise. */
    AUTO("auto"),
    /** Never the live input. */
    OFF("off");

    private final String scriptName;

    MonitorMode(String scriptName) {
        this.scriptName = scriptName;
    }

    /** The name scripts use: "input", "auto" or "off". */
    public String scriptName() {
        return scriptName;
    }

    /** The mode scripts call {@code name}, or null. */
    public static MonitorMode ofScriptName(String name) {
        for (MonitorMode mode : values()) {
            if (mode.scriptName.equals(name)) {
                return mode;
            }
        }
        return null;
    }

    /**
     * Whether a track in this mode hears its live input: {@code armed}, the transport {@code rolling}, and a
     * take {@code recording} (which implies rolling).
     */
    public boolean hearsInput(boolean armed, boolean rolling, boolean recording) {
        return switch (this) {
            case INPUT -> true;
            case AUTO -> armed && (!rolling || recording);
            case OFF -> false;
        };
    }
}
