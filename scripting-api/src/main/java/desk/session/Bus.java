package desk.session;

/**
 * A bus: a group bus (sums tracks routed to it, for shared processing and one fader), an aux bus (a return
 * fed by sends, typically for a shared effect), or the stereo master.
 * <p>
 * Threads: the session's control thread.
 */
public final class Bus extends Strip {
    /** What a bus is for. */
    public enum Kind {
        /** Sums the strips routed to it. */
        GROUP,
        /** Returns the sends aimed at it. */
        AUX,
        /** The master bus. */
        MASTER;

        /** The name scripts use: "group", "aux" or "master". */
        public String scriptName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;

    Bus(Session session, int id, String name, Kind kind, int channels, Bus output) {
        super(session, id, name, channels, output);
        this.kind = kind;
    }

    /** What the bus is for. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        String label = switch (kind) {
            case GROUP -> "Bus " + name() + " (group, " + width() + ")";
            case AUX -> "Bus " + name() + " (aux, " + width() + ")";
            case MASTER -> "Master (stereo)";
        };
        return label + " " + settings();
    }
}
