package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.io.SampleFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitoring truth table, mode x armed x transport state, rendered: a track hears its live input
 * exactly where the table says so and is silent (it has no clips to play back) elsewhere; the switch is
 * declicked and starts on the sample of the command that caused it.
 */
class MonitoringTest {
    @TempDir
    Path folder;

    enum State { STOPPED, ROLLING, RECORDING }

    /** The table as documented: mode, armed, state, hears the live input. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(MonitorMode.INPUT, false, State.STOPPED, true),
                Arguments.of(MonitorMode.INPUT, false, State.ROLLING, true),
                Arguments.of(MonitorMode.INPUT, false, State.RECORDING, true),
                Arguments.of(MonitorMode.INPUT, true, State.STOPPED, true),
                Arguments.of(MonitorMode.INPUT, true, State.ROLLING, true),
                Arguments.of(MonitorMode.INPUT, true, State.RECORDING, true),
                Arguments.of(MonitorMode.AUTO, false, State.STOPPED, false),
                Arguments.of(MonitorMode.AUTO, false, State.ROLLING, false),
                Arguments.of(MonitorMode.AUTO, false, State.RECORDING, false),
                Arguments.of(MonitorMode.AUTO, true, State.STOPPED, true),
                Arguments.of(MonitorMode.AUTO, true, State.ROLLING, false),
                Arguments.of(MonitorMode.AUTO, true, State.RECORDING, true),
                Arguments.of(MonitorMode.OFF, false, State.STOPPED, false),
                Arguments.of(MonitorMode.OFF, false, State.ROLLING, false),
                Arguments.of(MonitorMode.OFF, false, State.RECORDING, false),
                Arguments.of(MonitorMode.OFF, true, State.STOPPED, false),
                Arguments.of(MonitorMode.OFF, true, State.ROLLING, false),
                Arguments.of(MonitorMode.OFF, true, State.RECORDING, false));
    }

    @ParameterizedTest(name = "{0}, armed {1}, {2}: input {3}")
    @MethodSource("table")
    void theTrackHearsItsInputExactlyWhereTheTableSays(MonitorMode mode, boolean armed, State state, boolean hears)
            throws Exception {
        assertEquals(hears, mode.hearsInput(armed, state != State.STOPPED, state == State.RECORDING));
        Rig rig = new Rig(48000);
        int track = rig.track(1);
        int other = rig.track(1);
        int tone = rig.generator(GeneratorSpec.sine(1000, -6));
        rig.feed(track, 1, tone);
        rig.feed(other, 1, tone);
        rig.output(other, NodeIds.NO_NODE);
        rig.engine.execute(new EngineCommand.SetMonitoring(track, mode));
        rig.engine.execute(new EngineCommand.SetArmed(track, armed));
        rig.engine.execute(new EngineCommand.SetArmed(other, true));
        if (state != State.STOPPED) {
            rig.engine.execute(new EngineCommand.SetTransport(true));
        }
        List<EngineCommand.TakeTrack> takeTracks = List.of(new EngineCommand.TakeTrack(other, folder.resolve("t.wav")));
        if (state == State.RECORDING) {
            rig.engine.execute(new EngineCommand.StartTake(takeTracks, SampleFormat.PCM_24, 1));
        }
        float[][] out = rig.render(4800, BlockSizes.random(3, 1, 512));
        double peak = Rig.peakDb(out[0], 0, 4800);
        if (hears) {
            assertEquals(-9.01, peak, 0.05, "the live input, panned centre");
        } else {
            assertEquals(Double.NEGATIVE_INFINITY, peak, "silence: no clips to play back");
        }
        if (state == State.RECORDING) {
            rig.engine.execute(new EngineCommand.StopTake());
            RecordTest.waitForTakes(rig.engine);
        }
    }

    @Test
    void startingTheTransportSwitchesAnArmedAutoTrackToPlaybackOnTheCommandsSampleDeclicked() {
        int rate = 48000;
        int declick = rate * Limits.DECLICK_MILLISECONDS / 1000;
        Rig reference = new Rig(rate);
        Rig rig = new Rig(rate);
        for (Rig r : List.of(reference, rig)) {
            int track = r.track(1);
            r.feed(track, 1, r.generator(GeneratorSpec.sine(997, -6)));
            r.engine.execute(new EngineCommand.SetMonitoring(track, MonitorMode.AUTO));
            r.engine.execute(new EngineCommand.SetArmed(track, true));
        }
        rig.engine.execute(new EngineCommand.At(1000, new EngineCommand.SetTransport(true)));
        float[] heard = reference.render(4000, BlockSizes.fixed(64))[0];
        float[] switched = rig.render(4000, BlockSizes.fixed(64))[0];
        for (int i = 0; i < 1000; i++) {
            assertEquals(heard[i], switched[i], "sample " + i + " before the switch");
        }
        assertTrue(Math.abs(switched[1000 + declick / 2]) < Math.abs(heard[1000 + declick / 2]), "fading");
        assertTrue(Math.abs(switched[1000 + declick / 2]) > 0, "not cut");
        assertEquals(Double.NEGATIVE_INFINITY, Rig.peakDb(switched, 1000 + declick, 4000), "playback: silence");
    }
}
