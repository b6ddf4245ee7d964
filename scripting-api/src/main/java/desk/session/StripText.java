package desk.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a strip reads in one line, as its {@code toString} and the routing view show it: its width, its
 * settings ({@code trim 0.0 fader -6.0 dB pan L20 -> Drums}), levels to one decimal and positions as L/C/R.
 * <p>
 * Threads: the session's control thread.
 */
final class StripText {
    private StripText() {
    }

    /** "mono", "stereo" or "N channels". */
    static String width(int channels) {
        return switch (channels) {
            case 1 -> "mono";
            case 2 -> "stereo";
            default -> channels + " channels";
        };
    }

    /** The strip's settings in one line, e.g. {@code trim 0.0 fader -6.0 dB pan L20 -> Drums}. */
    static String settings(Strip strip) {
        StringBuilder text = new StringBuilder();
        text.append("trim ").append(oneDecimal(strip.trim())).append(" fader ").append(oneDecimal(strip.fader()))
                .append(" dB");
        text.append(strip.channels() == 1 ? " pan " + position(strip.pan()) : " bal " + position(strip.balance()));
        if (strip.mute()) {
            text.append(" MUTE");
        }
        if (strip.solo()) {
            text.append(" SOLO");
        }
        if (strip.soloSafe()) {
            text.append(" safe");
        }
        text.append(polarity(strip.phase()));
        if (strip != strip.session().master()) {
            text.append(" -> ").append(strip.output() == null ? "none" : strip.output().name());
        }
        return text.toString();
    }

    /** " phase-inverted" when every channel is, " phase-inverted (channel 2)" when some are, else "". */
    private static String polarity(boolean[] phase) {
        List<String> inverted = new ArrayList<>();
        for (int c = 0; c < phase.length; c++) {
            if (phase[c]) {
                inverted.add(Integer.toString(c + 1));
            }
        }
        if (inverted.isEmpty()) {
            return "";
        }
        if (inverted.size() == phase.length) {
            return " phase-inverted";
        }
        return " phase-inverted (channel" + (inverted.size() == 1 ? " " : "s ") + String.join(", ", inverted) + ")";
    }

    /** A level to one decimal, or "-inf". */
    static String oneDecimal(double value) {
        return value == Double.NEGATIVE_INFINITY ? "-inf" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A pan or balance as "C", "L20" or "R100". */
    static String position(double value) {
        long percent = Math.round(Math.abs(value) * 100);
        if (percent == 0) {
            return "C";
        }
        return (value < 0 ? "L" : "R") + percent;
    }
}
