package desk.session;

import desk.engine.delivery.LoudnessTrace;
import desk.engine.io.WavReader;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The loudness plot of EBU test files: the PNG has the size asked for, its integrated line lies on the row
 * where the report's integrated value falls on the loudness axis (-23.0 LUFS for EBU Tech 3341 case 1), and
 * true-peak overs are marked only where the file has them (case 19 peaks at +3 dBTP, case 1 nowhere near).
 */
class LoudnessPlotTest {
    private static final Path EBU =
            Path.of(System.getProperty("user.dir")).resolve("../../shared/ebu-loudness").normalize();

    /** Where the plots are drawn: under target/, to look at after a run. */
    private final Path folder = Path.of(System.getProperty("user.dir")).resolve("target/loudness-plots");

    private static Path ebu(String name) {
        Path file = EBU.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("EBU loudness test file missing: " + file + " (shared/ebu-loudness beside the repository)");
        }
        return file;
    }

    private static boolean near(int rgb, Color colour) {
        Color pixel = new Color(rgb);
        return Math.abs(pixel.getRed() - colour.getRed()) + Math.abs(pixel.getGreen() - colour.getGreen())
                + Math.abs(pixel.getBlue() - colour.getBlue()) < 40;
    }

    /** The row of the data area with the most pixels of {@code colour}. */
    private static int rowWithMost(BufferedImage image, LoudnessPlot.Drawn drawn, Color colour) {
        int best = -1;
        int bestCount = 0;
        for (int y = (int) drawn.dataArea().getMinY(); y < drawn.dataArea().getMaxY(); y++) {
            int count = 0;
            for (int x = (int) drawn.dataArea().getMinX(); x < drawn.dataArea().getMaxX(); x++) {
                count += near(image.getRGB(x, y), colour) ? 1 : 0;
            }
            if (count > bestCount) {
                bestCount = count;
                best = y;
            }
        }
        assertTrue(bestCount > drawn.dataArea().getWidth() / 2, "a line across the plot");
        return best;
    }

    /** Pixels of {@code colour} in the data area (the legend shows one mark of every kind, overs too). */
    private static int count(BufferedImage image, LoudnessPlot.Drawn drawn, Color colour) {
        int count = 0;
        for (int y = (int) drawn.dataArea().getMinY(); y < drawn.dataArea().getMaxY(); y++) {
            for (int x = (int) drawn.dataArea().getMinX(); x < drawn.dataArea().getMaxX(); x++) {
                count += near(image.getRGB(x, y), colour) ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void theIntegratedLineLiesWhereTheReportPutsIt() throws Exception {
        Files.createDirectories(folder);
        LoudnessTrace trace = LoudnessTrace.of(WavReader.read(ebu("seq-3341-1-16bit.wav")));
        assertEquals(-23.0, trace.integratedLufs(), 0.1);
        Path png = folder.resolve("case-1.png");
        LoudnessPlot.Drawn drawn = LoudnessPlot.draw(png, LoudnessPlot.Readings.of("case 1", trace, -23, -1));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LoudnessPlot.WIDTH, image.getWidth());
        assertEquals(LoudnessPlot.HEIGHT, image.getHeight());
        assertEquals(drawn.rowOf(trace.integratedLufs()), rowWithMost(image, drawn, LoudnessPlot.INTEGRATED), 1.5);
        assertEquals(0, count(image, drawn, new Color(210, 0, 0)), "no true-peak overs marked");
    }

    @Test
    void truePeakOversAreMarked() throws Exception {
        Files.createDirectories(folder);
        LoudnessTrace trace = LoudnessTrace.of(WavReader.read(ebu("seq-3341-19-24bit.wav.wav")));
        assertTrue(trace.truePeakDbtp() > 2.5, trace.truePeakDbtp() + " dBTP");
        Path png = folder.resolve("case-19.png");
        LoudnessPlot.Drawn drawn = LoudnessPlot.draw(png, LoudnessPlot.Readings.of("case 19", trace, Double.NaN, -1));
        assertTrue(count(ImageIO.read(png.toFile()), drawn, new Color(210, 0, 0)) > 20, "overs marked");
    }
}
