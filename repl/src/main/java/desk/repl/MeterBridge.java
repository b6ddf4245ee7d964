package desk.repl;

import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import desk.session.Session;
import desk.session.Strip;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The meter bridge: one row per track, bus and the master with a bar of the sample peak from -60 to 0 dBFS,
 * the held peak as a mark on it, the peak, hold and RMS in dBFS and CLIP with the count when a sample at any
 * pick-off point reached full scale since the last reset; the master's row adds its short-term loudness and
 * true peak. {@link #run} redraws it in place {@value #FRAMES_PER_SECOND} times a second until a key is
 * pressed (the key is swallowed), then erases it.
 * <p>
 * Threads: the REPL's thread, while no evaluation runs.
 */
final class MeterBridge {
    static final int FRAMES_PER_SECOND = 20;
    private static final int BAR = 30;
    private static final double FLOOR_DB = -60;
    private static final int NAME = 14;

    private final Session session;

    MeterBridge(Session session) {
        this.session = session;
    }

    /**
     * Draws the bridge until a key is pressed, then erases it. From a line being typed
     * ({@code belowTypedLine}) it draws on the rows below and leaves the cursor on that line's row for the
     * reader to redraw it; otherwise it draws from the cursor's row, which is empty, and leaves the cursor
     * there.
     */
    void run(Terminal terminal, boolean belowTypedLine) throws IOException {
        PrintWriter out = terminal.writer();
        Attributes saved = terminal.enterRawMode();
        NonBlockingReader keys = terminal.reader();
        int drawn = 0;
        try {
            terminal.puts(InfoCmp.Capability.cursor_invisible);
            if (belowTypedLine) {
                out.print("\r\n");
            }
            while (true) {
                int rows = Math.max(3, terminal.getHeight() - 2);
                List<String> frame = frame(Math.max(40, terminal.getWidth() - 1), rows);
                if (drawn > 1) {
                    out.print("\033[" + (drawn - 1) + "A");
                }
                out.print("\r");
                for (int i = 0; i < frame.size(); i++) {
                    out.print(frame.get(i) + "\033[K" + (i < frame.size() - 1 ? "\r\n" : ""));
                }
                out.print("\033[J");
                out.flush();
                drawn = frame.size();
                int key = keys.read(1000 / FRAMES_PER_SECOND);
                if (key != NonBlockingReader.READ_EXPIRED) {
                    break;
                }
            }
        } finally {
            int up = belowTypedLine ? drawn : drawn - 1;
            out.print((up > 0 ? "\033[" + up + "A" : "") + "\r\033[J");
            terminal.puts(InfoCmp.Capability.cursor_visible);
            out.flush();
            terminal.setAttributes(saved);
        }
    }

    /** One frame: a header and at most {@code rows - 1} strip rows of at most {@code width} characters. */
    List<String> frame(int width, int rows) {
        List<Strip> strips = new ArrayList<>(session.tracks());
        strips.addAll(session.buses());
        strips.add(session.master());
        List<String> lines = new ArrayList<>();
        lines.add(clip(String.format(Locale.ROOT, "Meters at %.2f s: peak bar -60..0 dBFS, | held peak; any key ends",
                session.seconds()), width));
        int room = rows - 1;
        for (int i = 0; i < strips.size(); i++) {
            if (i == room - 1 && strips.size() > room) {
                lines.add("... " + (strips.size() - i) + " more");
                break;
            }
            lines.add(clip(row(strips.get(i)), width));
        }
        return lines;
    }

    private static String row(Strip strip) {
        MeterReading post = strip.meter(MeterPoint.POST_FADER);
        long clips = 0;
        for (MeterPoint point : MeterPoint.values()) {
            clips += strip.meter(point).clips();
        }
        StringBuilder row = new StringBuilder();
        String name = strip.name().length() > NAME ? strip.name().substring(0, NAME - 1) + "~" : strip.name();
        row.append(String.format(Locale.ROOT, "%-" + NAME + "s ", name)).append(bar(post.peak(), post.peakHold()));
        row.append(String.format(Locale.ROOT, " %6s hold %6s rms %6s", db(post.peak()), db(post.peakHold()),
                db(post.rms())));
        if (post.loudness() != null) {
            row.append(String.format(Locale.ROOT, "  S %6s LUFS TP %6s", db(post.loudness().shortTerm()),
                    db(post.loudness().truePeak())));
        }
        if (clips > 0) {
            row.append("  CLIP ").append(clips);
        }
        return row.toString();
    }

    /** The peak as a filled bar and the hold as a mark, -60..0 dBFS over {@value #BAR} cells. */
    static String bar(double peakDb, double holdDb) {
        int filled = cells(peakDb);
        int hold = cells(holdDb);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR; i++) {
            bar.append(i < filled ? '#' : (i == hold - 1 ? '|' : '-'));
        }
        return bar.append(']').toString();
    }

    private static int cells(double db) {
        if (!(db > FLOOR_DB)) {
            return 0;
        }
        return (int) Math.ceil(Math.min(1.0, (db - FLOOR_DB) / -FLOOR_DB) * BAR);
    }

    private static String db(double value) {
        return value == Double.NEGATIVE_INFINITY || value < -99.9 ? "-inf" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String clip(String line, int width) {
        return line.length() > width ? line.substring(0, width) : line;
    }
}
