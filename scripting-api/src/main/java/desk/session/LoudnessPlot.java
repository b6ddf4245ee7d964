package desk.session;

import desk.engine.delivery.DeliveryReport;
import desk.engine.delivery.LoudnessHistory;
import desk.engine.delivery.LoudnessTrace;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws a delivery report as a PNG a person would rather look at than read: the momentary and short-term
 * loudness over time, the integrated loudness and the target as lines across, the loudness range shaded, and
 * every 100 ms whose true peak passes the ceiling marked along the top, above a text summary of every
 * reading. Drawn with JFreeChart, headless.
 * <p>
 * Threads: any one thread at a time.
 */
public final class LoudnessPlot {
    /** Width of the image, pixels. */
    public static final int WIDTH = 1200;
    /** Height of the image, pixels. */
    public static final int HEIGHT = 640;
    /** The colour of the integrated loudness line. */
    public static final Color INTEGRATED = new Color(230, 110, 0);
    private static final Color MOMENTARY = new Color(120, 170, 230);
    private static final Color SHORT_TERM = new Color(20, 60, 160);
    private static final Color TARGET = new Color(0, 140, 60);
    private static final Color RANGE = new Color(20, 60, 160, 40);
    private static final Color OVER = new Color(210, 0, 0);
    private static final double FLOOR_LUFS = -70;

    /** What a plot shows. */
    public record Readings(String title, double integratedLufs, double loudnessRangeLu, double truePeakDbtp,
                           double samplePeakDbfs, double maxMomentaryLufs, double maxShortTermLufs,
                           double targetLufs, double ceilingDbtp, LoudnessHistory history) {
        /** The readings of a delivery: its target and ceiling when it had them (else a ceiling of -1 dBTP). */
        public static Readings of(DeliveryReport report) {
            return new Readings(report.file().getFileName().toString(), report.integratedLufs(),
                    report.loudnessRangeLu(), report.truePeakDbtp(), report.samplePeakDbfs(), report.maxMomentaryLufs(),
                    report.maxShortTermLufs(), report.spec().loudnessLufs(), report.spec().ceiling(), report.history());
        }

        /** The readings of a measured file, titled {@code title}, against a target (NaN for none) and a ceiling. */
        public static Readings of(String title, LoudnessTrace trace, double targetLufs, double ceilingDbtp) {
            return new Readings(title, trace.integratedLufs(), trace.loudnessRangeLu(), trace.truePeakDbtp(),
                    trace.samplePeakDbfs(), trace.maxMomentaryLufs(), trace.maxShortTermLufs(), targetLufs, ceilingDbtp,
                    trace.history());
        }
    }

    /** Where the plot was drawn: the image's size and the rectangle of the data, with the height of a loudness. */
    public record Drawn(int width, int height, Rectangle2D dataArea, double lowLufs, double highLufs) {
        /** The pixel row a loudness is drawn at. */
        public double rowOf(double lufs) {
            return dataArea.getMaxY() - (lufs - lowLufs) / (highLufs - lowLufs) * dataArea.getHeight();
        }
    }

    private LoudnessPlot() {
    }

    /**
     * Draws {@code readings} into {@code png}.
     *
     * @throws IOException in one line naming the file when it cannot be written
     */
    public static Drawn draw(Path png, Readings readings) throws IOException {
        LoudnessHistory history = readings.history();
        XYSeries momentary = new XYSeries("Momentary (400 ms)", false, true);
        XYSeries shortTerm = new XYSeries("Short-term (3 s)", false, true);
        XYSeries overs = new XYSeries(String.format(Locale.ROOT, "True peak over %.1f dBTP", readings.ceilingDbtp()),
                false, true);
        double high = Math.max(Math.max(readings.maxMomentaryLufs(), readings.integratedLufs()),
                Double.isNaN(readings.targetLufs()) ? FLOOR_LUFS : readings.targetLufs());
        high = Double.isFinite(high) ? Math.ceil(high + 4) : 0;
        double low = Math.max(FLOOR_LUFS, high - 40);
        for (int i = 0; i < history.momentary().length; i++) {
            double time = (i + 1) * history.stepSeconds();
            momentary.add(time, visible(history.momentary()[i], low));
            shortTerm.add(time, visible(history.shortTerm()[i], low));
            if (history.truePeak()[i] > readings.ceilingDbtp()) {
                overs.add(time, high - 1);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(momentary);
        data.addSeries(shortTerm);
        data.addSeries(overs);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, MOMENTARY);
        renderer.setSeriesStroke(0, new BasicStroke(1f));
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesPaint(1, SHORT_TERM);
        renderer.setSeriesStroke(1, new BasicStroke(2.5f));
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(2, OVER);
        renderer.setSeriesLinesVisible(2, false);
        renderer.setSeriesShape(2, new Rectangle2D.Double(-1.5, -6, 3, 12));

        NumberAxis time = new NumberAxis("Time (s)");
        time.setAutoRangeIncludesZero(true);
        NumberAxis loudness = new NumberAxis("Loudness (LUFS)");
        loudness.setRange(low, high);
        XYPlot plot = new XYPlot(data, time, loudness, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (Double.isFinite(history.rangeLowLufs()) && Double.isFinite(history.rangeHighLufs())) {
            IntervalMarker range = new IntervalMarker(history.rangeLowLufs(), history.rangeHighLufs(), RANGE);
            range.setLabel(String.format(Locale.ROOT, "Loudness range %.1f LU", readings.loudnessRangeLu()));
            range.setLabelAnchor(RectangleAnchor.TOP);
            range.setLabelTextAnchor(TextAnchor.BOTTOM_CENTER);
            plot.addRangeMarker(range, Layer.BACKGROUND);
        }
        if (!Double.isNaN(readings.targetLufs())) {
            ValueMarker target = new ValueMarker(readings.targetLufs(), TARGET, new BasicStroke(2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            target.setLabel(String.format(Locale.ROOT, "Target %.1f LUFS", readings.targetLufs()));
            target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            target.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(target, Layer.FOREGROUND);
        }
        if (Double.isFinite(readings.integratedLufs())) {
            ValueMarker integrated = new ValueMarker(readings.integratedLufs(), INTEGRATED, new BasicStroke(2f));
            integrated.setLabel(String.format(Locale.ROOT, "Integrated %.1f LUFS", readings.integratedLufs()));
            integrated.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
            integrated.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addRangeMarker(integrated, Layer.FOREGROUND);
        }

        JFreeChart chart = new JFreeChart(readings.title(), new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        for (String line : summary(readings)) {
            chart.addSubtitle(new TextTitle(line, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        }
        ChartRenderingInfo info = new ChartRenderingInfo();
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT, info);
        } catch (IOException e) {
            throw new IOException("cannot write " + png + ": " + e.getMessage(), e);
        }
        return new Drawn(WIDTH, HEIGHT, info.getPlotInfo().getDataArea(), low, high);
    }

    /** A value the plot can draw: silence and values under the axis sit on its floor. */
    private static double visible(float lufs, double low) {
        return Float.isFinite(lufs) ? Math.max(lufs, low) : low;
    }

    /** Every reading, in two lines under the title: loudness, then peaks and the target. */
    static List<String> summary(Readings r) {
        String loudness = String.format(Locale.ROOT, "Integrated %s LUFS   Loudness range %.1f LU   Max momentary %s"
                        + " LUFS   Max short-term %s LUFS", number(r.integratedLufs()), r.loudnessRangeLu(),
                number(r.maxMomentaryLufs()), number(r.maxShortTermLufs()));
        String peaks = String.format(Locale.ROOT, "True peak %s dBTP   Sample peak %s dBFS",
                number(r.truePeakDbtp()), number(r.samplePeakDbfs()));
        return List.of(loudness, Double.isNaN(r.targetLufs()) ? peaks : peaks + String.format(Locale.ROOT,
                "   Target %.1f LUFS under %.1f dBTP", r.targetLufs(), r.ceilingDbtp()));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-inf";
    }
}
