package desk.session;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gain-staging assistant on sessions built to have each problem, and autoTrim. */
class GainReportTest {
    private Engine engine;
    private Session session;

    @BeforeEach
    void setUp() {
        engine = new Engine(48000, 0);
        session = new Session(new LocalEngineLink(engine));
    }

    /** Renders; a change of level made just before takes 5 ms to arrive, so tests play a little before a reset. */
    private void play(double seconds) throws IOException {
        new OfflineRenderer(engine).render(Math.round(seconds * 48000), BlockSizes.fixed(512), (master, frames) -> { });
    }

    private Track sine(String name, double levelDb) {
        Track track = session.track(name);
        track.input(session.generator("sine", Map.of("freq", 1000, "level", levelDb)));
        return track;
    }

    private static List<GainReport.Finding> about(GainReport report, String strip) {
        return report.findings().stream().filter(f -> f.strip().equals(strip)).toList();
    }

    private static GainReport.Line line(GainReport report, String strip) {
        return report.lines().stream().filter(l -> l.strip().equals(strip)).findFirst().orElseThrow();
    }

    @Test
    void mixingTracksAreJudgedByTheirAverageBeforeTheFader() throws IOException {
        sine("Hot", -6).fader(-20);
        sine("Good", -15).fader(-20);
        sine("Low", -20).fader(-20);
        sine("Quiet", -40);
        session.track("Silent");
        play(1);
        GainReport report = session.gainReport("mixing");
        assertEquals(List.of(GainReport.Problem.TOO_HOT), about(report, "Hot").stream().map(GainReport.Finding::problem).toList());
        assertEquals("Hot: too hot: average before the fader -6.0 dBFS, target -18..-12 dBFS; lower its trim, e.g."
                + " Hot.autoTrim(-18)", about(report, "Hot").getFirst().toString());
        assertEquals("ok", line(report, "Good").verdict());
        assertEquals(-15, line(report, "Good").level(), 0.01, "a sine's AES17 average is its peak level");
        assertEquals("a little low", line(report, "Low").verdict());
        assertTrue(about(report, "Low").isEmpty(), "2 dB under the band is noted, not flagged");
        assertEquals(GainReport.Problem.TOO_QUIET, about(report, "Quiet").getFirst().problem());
        assertEquals("no signal", line(report, "Silent").verdict());
        assertTrue(about(report, "Silent").isEmpty());
        assertTrue(report.toString().startsWith("Gain report (mixing):\n  Hot "), report.toString());
    }

    @Test
    void aLevelIsJudgedAsItIsShown() throws IOException {
        sine("Edge", -18.04);
        play(1);
        GainReport report = session.gainReport("mixing");
        assertTrue(line(report, "Edge").level() < -18, "measured a hair under the band");
        assertEquals("ok", line(report, "Edge").verdict(), "shown as -18.0, inside -18..-12");
        assertTrue(report.toString().contains("  Edge    track   average before the fader  -18.0 dBFS  -18..-12  ok\n"),
                report.toString());
    }

    @Test
    void theReportAlignsItsColumnsAndSaysWhereThereIsNoSignal() throws IOException {
        session.track("Vox");
        session.bus("Verb", "aux", 2);
        assertEquals("""
                Gain report (mixing):
                  Vox     track   average before the fader  -inf dBFS  -18..-12  no signal
                  Verb    aux     peak after the fader      -inf dBFS  below -3  no signal
                  master  master  peak after the fader      -inf dBFS  -6..-3    no signal
                No signal: nothing played since the meters' last reset; play the session, then ask again.""",
                session.gainReport("mixing").toString());
        sine("Lead vocal double", -14).fader(12);
        play(0.5);
        String report = session.gainReport("mixing").toString();
        assertTrue(report.endsWith("No problems found; no signal on Vox, Verb."), report);
        List<Integer> levelEnds = report.lines().filter(l -> l.contains(" dBFS ")).map(l -> l.indexOf(" dBFS ")).distinct().toList();
        assertEquals(1, levelEnds.size(), "every level ends in the same column:\n" + report);
    }

    @Test
    void withInsertsStagingReadsTheSignalGoingIntoThemNotWhatComesOut() throws IOException {
        Track vocal = sine("Vocal", -30);
        vocal.trim(4);
        vocal.insert("compressor", Map.of("threshold", -40.0, "ratio", 10.0, "makeup", 0.0), -1, false);
        vocal.insert("utility", Map.of("gain", -20.0), -1, false);
        play(0.5);
        GainReport report = session.gainReport("mixing");
        assertEquals(-26, line(report, "Vocal").level(), 0.01, "the -30 dBFS sine raised 4 dB by the trim");
        assertEquals("average into the inserts", line(report, "Vocal").measure());
        assertEquals(12, vocal.autoTrim(-18), 0.01, "the trim that brings the inserts' input from -30 to -18 dBFS");
    }

    @Test
    void trackingJudgesPeaksAgainstMinus18ToMinus12AndNeverAboveMinus6() throws IOException {
        sine("Hot", -4);
        sine("Good", -14);
        sine("Quiet", -30);
        play(0.5);
        GainReport report = session.gainReport("tracking");
        assertEquals(GainReport.Problem.TOO_HOT, about(report, "Hot").getFirst().problem());
        assertTrue(about(report, "Good").isEmpty());
        assertEquals(GainReport.Problem.TOO_QUIET, about(report, "Quiet").getFirst().problem());
    }

    @Test
    void clippingIsNamedWithWhereItHappens() throws IOException {
        Track vox = sine("Vox", -1);
        vox.trim(3);
        vox.fader(-10);
        play(0.5);
        GainReport report = session.gainReport("mixing");
        List<GainReport.Finding> clipping = about(report, "Vox").stream()
                .filter(f -> f.problem() == GainReport.Problem.CLIPPING).toList();
        assertEquals(1, clipping.size(), report.toString());
        assertTrue(clipping.getFirst().message().matches("clipping: \\d+ samples at or above 0 dBFS before the fader"),
                clipping.getFirst().message());
        assertEquals(vox.meter(MeterPoint.PRE_FADER).clips(),
                Long.parseLong(clipping.getFirst().message().split(" ")[1]));
    }

    @Test
    void theMasterShouldPeakBetweenMinus6AndMinus3WhileMixing() throws IOException {
        Track loud = session.track("Loud", 2);
        loud.input(session.generator("sine", Map.of("freq", 1000, "level", -14)));
        loud.fader(12);
        Bus drums = session.bus("Drums");
        loud.output(drums);
        play(0.5);
        GainReport report = session.gainReport("mixing");
        assertEquals(GainReport.Problem.TOO_HOT, about(report, "master").getFirst().problem());
        assertEquals(GainReport.Problem.TOO_HOT, about(report, "Drums").getFirst().problem(), "a bus peaking above -3");
        loud.fader(10);
        play(0.1);
        session.resetMeters();
        play(0.5);
        report = session.gainReport("mixing");
        assertEquals("ok", line(report, "master").verdict(), report.toString());
        assertTrue(report.ok(), report.toString());
    }

    @Test
    void masteringChecksLoudnessAndTruePeakForStreaming() throws IOException {
        Track mix = session.track("Mix", 2);
        mix.input(session.generator("sine", Map.of("freq", 997, "level", -0.5)));
        play(4);
        GainReport report = session.gainReport("mastering");
        List<String> hot = about(report, "master").stream().map(GainReport.Finding::message).toList();
        assertEquals(2, hot.size(), report.toString());
        assertTrue(hot.get(0).startsWith("too hot: integrated loudness -0.5 LUFS, target -16..-14 LUFS"), hot.get(0));
        assertTrue(hot.get(1).startsWith("too hot: true peak -0.5 dBTP, above -1 dBTP"), hot.get(1));
        mix.fader(-14.5);
        play(0.1);
        session.resetMeters();
        play(4);
        report = session.gainReport("mastering");
        assertTrue(report.ok(), "-15 LUFS with a true peak of -15 dBTP meets the streaming targets: " + report);
        mix.fader(-30);
        play(0.1);
        session.resetMeters();
        play(4);
        assertEquals(GainReport.Problem.TOO_QUIET, about(session.gainReport("mastering"), "master").getFirst().problem());
        session.master().loudness("off");
        assertEquals(GainReport.Problem.LOUDNESS_NOT_MEASURED,
                about(session.gainReport("mastering"), "master").getFirst().problem());
    }

    @Test
    void aSendLeftPointingAtTheOldBusAfterReRoutingIsFound() {
        Track vox = session.track("Vox");
        Bus oldBus = session.bus("Vocals");
        Bus newBus = session.bus("Lead");
        Bus verb = session.bus("Verb", "aux", 2);
        vox.output(oldBus);
        vox.send(oldBus, -6, true);
        vox.send(verb, -12, false);
        assertTrue(session.gainReport("mixing").ok(), "sending into the bus it is routed to is a choice, not a slip");
        vox.output(newBus);
        List<GainReport.Finding> findings = about(session.gainReport("mixing"), "Vox");
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(GainReport.Problem.STALE_SEND, findings.getFirst().problem());
        assertEquals("Vox: sends to Vocals, where its output went before it was re-routed to Lead: a send left"
                + " behind? remove it with Vox.sends[...].remove()", findings.getFirst().toString());
        vox.output(oldBus);
        assertTrue(session.gainReport("mixing").ok(), "routed back: nothing left behind");
    }

    @Test
    void aSendIntoABusThatNeverReachesTheMasterIsFound() {
        Track vox = session.track("Vox");
        Bus fx = session.bus("FX", "aux", 2);
        Bus chain = session.bus("Chain");
        fx.output(chain);
        chain.output(null);
        vox.send(fx, -10, false);
        List<GainReport.Finding> findings = about(session.gainReport("mixing"), "Vox");
        assertEquals(GainReport.Problem.SEND_NOT_HEARD, findings.getFirst().problem());
        assertEquals("Vox: sends to FX, whose output does not reach the master: the send is not heard",
                findings.getFirst().toString());
        chain.output(session.master());
        assertTrue(session.gainReport("mixing").ok());
    }

    @Test
    void autoTrimSetsTheTrimFromTheMeasuredAverage() throws IOException {
        Track vox = sine("Vox", -30);
        DeskException refusal = assertThrows(DeskException.class, () -> vox.autoTrim(-18));
        assertEquals("Vox.autoTrim: nothing measured before the fader yet; play the track first (meters measure"
                + " since their last reset)", refusal.getMessage());
        play(1);
        assertEquals(12, vox.autoTrim(-18), 0.01);
        assertEquals(12, vox.trim(), 0.01);
        play(1);
        assertEquals(-18, vox.meter(MeterPoint.PRE_FADER).average(), 0.05, "measured afresh at the new trim");
        refusal = assertThrows(DeskException.class, () -> vox.autoTrim(3));
        assertEquals("Vox.autoTrim target 3: must be -60..0 dBFS", refusal.getMessage());
        Track faint = sine("Faint", -60);
        play(1);
        assertEquals(24, faint.autoTrim(-18), 0.01, "the trim stops at +24 dB");
        refusal = assertThrows(DeskException.class, () -> session.gainReport("final"));
        assertEquals("gainReport stage \"final\": must be \"tracking\", \"mixing\" or \"mastering\"", refusal.getMessage());
        refusal = assertThrows(DeskException.class, () -> vox.loudness("everywhere"));
        assertEquals("Vox.loudness \"everywhere\": must be \"input\", \"pre\", \"post\" or \"off\"", refusal.getMessage());
        refusal = assertThrows(DeskException.class, () -> session.vuReference(6));
        assertEquals("session.vuReference 6: must be -40..0 dBFS", refusal.getMessage());
    }

    @Test
    void anArmedTrackWhoseInputIsSilentIsFound() throws IOException {
        Track quiet = session.track("Quiet");
        quiet.input(session.generator("silence", Map.of()));
        quiet.armed(true);
        Track vox = sine("Vox", -18);
        vox.armed(true);
        session.resetMeters();
        play(0.5);
        GainReport report = session.gainReport("tracking");
        assertEquals(List.of(GainReport.Problem.SILENT_INPUT),
                about(report, "Quiet").stream().map(GainReport.Finding::problem).toList());
        assertTrue(about(report, "Quiet").getFirst().message().startsWith("armed, but its input silence"),
                about(report, "Quiet").getFirst().message());
        assertTrue(about(report, "Vox").stream().noneMatch(f -> f.problem() == GainReport.Problem.SILENT_INPUT));
        quiet.armed(false);
        assertTrue(about(session.gainReport("tracking"), "Quiet").isEmpty(), "a disarmed silent track is fine");
    }

    @Test
    void oneLiveInputHeardThroughTwoTracksIsDoubleMonitoring() {
        Source mic = session.generator("sine", Map.of("freq", 440, "level", -18));
        Track take1 = session.track("Take 1");
        take1.input(mic);
        Track take2 = session.track("Take 2");
        take2.input(mic);
        Track other = session.track("Other");
        other.input(session.generator("sine", Map.of("freq", 440, "level", -18)));
        List<GainReport.Finding> findings = session.gainReport("tracking").findings().stream()
                .filter(f -> f.problem() == GainReport.Problem.DOUBLE_MONITORING).toList();
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("Take 2", findings.getFirst().strip());
        assertTrue(findings.getFirst().message().contains("as Take 1 does: double monitoring"), findings.toString());
        take2.monitoring("auto");
        assertTrue(session.gainReport("tracking").findings().stream()
                .noneMatch(f -> f.problem() == GainReport.Problem.DOUBLE_MONITORING), "auto and disarmed: plays back");
        take2.armed(true);
        assertEquals(1, session.gainReport("tracking").findings().stream()
                .filter(f -> f.problem() == GainReport.Problem.DOUBLE_MONITORING).count(), "armed and stopped: live");
    }

    @Test
    void autoTrimMeasuresOnlyTheNewLevelFromTheSampleTheTrimSettlesOn() throws IOException {
        Track loud = sine("Loud", -3);
        play(0.5);
        assertEquals(-3, loud.snapshot(MeterPoint.PRE_FADER).value(MeterQuantity.PEAK_MAX), 0.05);
        assertEquals(-15, loud.autoTrim(-18), 0.01);
        play(0.5);
        MeterSnapshot after = loud.snapshot(MeterPoint.PRE_FADER);
        assertEquals(-18, after.value(MeterQuantity.PEAK_MAX), 0.05,
                "the highest peak since the reset is the new level's, none of the old -3 dBFS nor of the ramp");
        assertEquals(-18, loud.snapshot(MeterPoint.INPUT).value(MeterQuantity.PEAK_MAX) - 15, 0.05,
                "the input meter was reset with it (it reads before the trim)");
    }
}
