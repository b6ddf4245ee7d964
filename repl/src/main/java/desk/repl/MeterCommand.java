package desk.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.delivery.LoudnessTrace;
import desk.engine.io.WavReader;
import desk.engine.loudness.FileMeasurement;
import desk.engine.loudness.FileMeter;
import desk.session.LoudnessPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code desk meter FILE.wav...}: sample peak, true peak (BS.1770 Annex 2), RMS, integrated loudness,
 * maximum momentary and short-term loudness (BS.1770-4 / EBU Tech 3341) and loudness range (Tech 3342) of
 * each file, as text or, with {@code --json}, one JSON object per line per file; with {@code --plot FILE.png},
 * the loudness of one file over time drawn by {@link LoudnessPlot}. Exit 1 if any file could not be read (the
 * others are still measured).
 * <p>
 * Threads: the main thread.
 */
@Command(name = "meter", description = "Measure the peak, true peak, RMS, loudness and loudness range of WAV files.",
        mixinStandardHelpOptions = true)
final class MeterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "WAV files to measure.")
    List<Path> files;

    @Option(names = "--json", description = "One JSON object per file instead of text.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draws the loudness of the (one) file over"
            + " time into FILE.png: momentary and short-term, the integrated value, the loudness range, true-peak"
            + " overs and every reading.")
    Path plot;

    @Option(names = "--target", paramLabel = "LUFS", description = "With --plot: the loudness target drawn as a line.")
    Double target;

    @Option(names = "--ceiling", paramLabel = "DBTP", defaultValue = "-1", description = "With --plot: true peaks"
            + " above this are marked as overs (default ${DEFAULT-VALUE} dBTP).")
    double ceiling;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (plot != null && files.size() != 1) {
            throw new IllegalArgumentException("--plot " + plot + " draws one file: give one FILE, not " + files.size());
        }
        if (plot == null && target != null) {
            throw new IllegalArgumentException("--target is the line drawn on a plot: add --plot FILE.png");
        }
        ObjectMapper mapper = new ObjectMapper();
        int status = 0;
        for (Path file : files) {
            FileMeasurement m;
            try {
                m = FileMeter.measure(file);
            } catch (IOException e) {
                err.println("desk: " + Main.oneLine(e));
                status = 1;
                continue;
            }
            if (json) {
                ObjectNode node = mapper.createObjectNode();
                node.put("file", file.toString());
                number(node, "sample_peak_dbfs", m.samplePeakDbfs());
                number(node, "true_peak_dbtp", m.truePeakDbtp());
                number(node, "rms_dbfs", m.rmsDbfs());
                number(node, "integrated_lufs", m.integratedLufs());
                number(node, "momentary_max_lufs", m.maxMomentaryLufs());
                number(node, "short_term_max_lufs", m.maxShortTermLufs());
                number(node, "loudness_range_lu", m.loudnessRangeLu());
                out.println(node);
            } else {
                out.println(String.format(Locale.ROOT, "%s: peak %s dBFS, true peak %s dBTP, RMS %s dBFS, integrated %s"
                                + " LUFS, max momentary %s LUFS, max short-term %s LUFS, loudness range %s LU",
                        file, text(m.samplePeakDbfs()), text(m.truePeakDbtp()), text(m.rmsDbfs()),
                        text(m.integratedLufs()), text(m.maxMomentaryLufs()), text(m.maxShortTermLufs()),
                        text(m.loudnessRangeLu())));
            }
        }
        out.flush();
        if (plot != null && status == 0) {
            try {
                LoudnessTrace trace = LoudnessTrace.of(WavReader.read(files.get(0)));
                LoudnessPlot.draw(plot, LoudnessPlot.Readings.of(files.get(0).getFileName().toString(), trace,
                        target == null ? Double.NaN : target, ceiling));
            } catch (IOException e) {
                err.println("desk: " + Main.oneLine(e));
                return 1;
            }
        }
        return status;
    }

    /** JSON has no infinity: silence is written as null. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, Math.round(value * 100) / 100.0);
        } else {
            node.putNull(field);
        }
    }

    private static String text(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-inf";
    }
}
