package desk.engine;

import desk.engine.backend.BlockSizes;
import desk.engine.dsp.Decibels;
import desk.engine.midi.MidiBinding;
import desk.engine.midi.MidiControlType;
import desk.engine.midi.MidiCurve;
import desk.engine.midi.MidiEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIDI bindings on the audio thread: a control moves a fader on the exact sample of its message whatever the
 * block size; 14-bit pairs, NRPN and pitch bend resolve to their full value; soft takeover holds the fader
 * until the control reaches or crosses it; every message is reported with what its binding made of it.
 */
class MidiBindingTest {
    private static final int CC = 0xB0;

    @ParameterizedTest(name = "{0} Hz, blocks {1}")
    @MethodSource("desk.engine.Rig#ratesAndBlocks")
    void aControlChangeMovesTheFaderOnTheSampleOfItsMessage(int rate, BlockSizes blocks) {
        Rig rig = new Rig(rate);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC, 7, MidiCurve.LINEAR, false));
        rig.engine.execute(new EngineCommand.At(12_345, new EngineCommand.ReceiveMidi(0, CC, 7, 100)));
        float[] left = rig.render(14_000, blocks)[0];
        int ramp = rate * Limits.DECLICK_MILLISECONDS / 1000;
        double expected = -60 + 100 / 127.0 * 66;
        assertEquals(0, Decibels.fromGain(left[12_344]), 1e-6, "not yet moved");
        assertTrue(Decibels.fromGain(left[12_345]) < -1e-4, "the ramp starts on sample 12,345");
        assertEquals(expected, Decibels.fromGain(left[12_345 + ramp - 1]), 1e-4);
        List<MidiEvent> events = rig.engine.midiEvents(true).events();
        assertEquals(1, events.size());
        MidiEvent event = events.get(0);
        assertEquals(12_345, event.sample());
        assertEquals(1, event.binding());
        assertTrue(event.applied());
        assertEquals(expected, event.value(), 1e-9);
    }

    @Test
    void theFaderCurveSitsUnityAtEightyOnePercent() {
        assertEquals(0, MidiCurve.FADER.value(MidiCurve.FADER.position(0, -60, 6), -60, 6), 1e-9);
        double low = Math.pow(10, -60 / 80.0);
        assertEquals((1 - low) / (Math.pow(10, 6 / 80.0) - low), MidiCurve.FADER.position(0, -60, 6), 1e-12);
        assertEquals(0.813, MidiCurve.FADER.position(0, -60, 6), 1e-3);
        assertEquals(-60, MidiCurve.FADER.value(0, -60, 6), 1e-9);
        assertEquals(6, MidiCurve.FADER.value(1, -60, 6), 1e-9);
        assertEquals(0.380, MidiCurve.FADER.position(-20, -60, 6), 1e-3);
    }

    @Test
    void fourteenBitPairsNrpnAndPitchBendResolveToTheirFullValue() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC14, 1, MidiCurve.LINEAR, false),
                binding(2, track, MidiControlType.NRPN, 300, MidiCurve.LINEAR, false),
                binding(3, track, MidiControlType.PITCH_BEND, 0, MidiCurve.LINEAR, false));
        receive(rig, CC, 1, 64);
        receive(rig, CC, 33, 1);
        receive(rig, CC, 99, 2);
        receive(rig, CC, 98, 44);
        receive(rig, CC, 6, 127);
        receive(rig, CC, 38, 127);
        receive(rig, 0xE0, 0, 64);
        rig.render(256, BlockSizes.fixed(256));
        List<MidiEvent> events = rig.engine.midiEvents(true).events();
        assertEquals(7, events.size());
        assertEquals(value(64 << 7), events.get(0).value(), 1e-9, "the coarse half moves at once");
        assertEquals(value(64 << 7 | 1), events.get(1).value(), 1e-9, "the fine half refines it");
        assertEquals(MidiEvent.UNBOUND, events.get(2).binding(), "parameter selection binds nothing");
        assertEquals(value(127 << 7), events.get(4).value(), 1e-9);
        assertEquals(2, events.get(5).binding());
        assertEquals(6, events.get(5).value(), 1e-9, "NRPN 2*128+44 = 300, data 16383");
        assertEquals(3, events.get(6).binding());
        assertEquals(value(64 << 7), events.get(6).value(), 1e-9);
    }

    @Test
    void softTakeoverHoldsTheFaderUntilTheControlCrossesIt() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC, 7, MidiCurve.LINEAR, true));
        rig.engine.execute(new EngineCommand.SetMidiCurrent(1, MidiCurve.LINEAR.position(0, -60, 6)));
        receive(rig, CC, 7, 10);
        receive(rig, CC, 7, 60);
        rig.render(4_800, BlockSizes.fixed(64));
        float[] held = rig.render(64, BlockSizes.fixed(64))[0];
        assertEquals(0, Decibels.fromGain(held[63]), 1e-6, "a control far below the fader does not move it");
        receive(rig, CC, 7, 118);
        receive(rig, CC, 7, 100);
        rig.render(4_800, BlockSizes.fixed(64));
        float[] caught = rig.render(64, BlockSizes.fixed(64))[0];
        assertEquals(-60 + 100 / 127.0 * 66, Decibels.fromGain(caught[63]), 1e-4, "once crossed it follows");
        List<MidiEvent> events = rig.engine.midiEvents(true).events();
        assertTrue(Double.isNaN(events.get(0).value()) && Double.isNaN(events.get(1).value()), "held");
        assertFalse(events.get(0).applied());
        assertTrue(events.get(2).applied() && events.get(3).applied(), "crossing 0 dB (115.5) catches it");
    }

    @Test
    void aFaderTheControlMovedStaysWhereItWasLeftWhenOtherGainsChange() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC, 7, MidiCurve.LINEAR, false));
        receive(rig, CC, 7, 0);
        rig.render(4_800, BlockSizes.fixed(64));
        rig.engine.midiEvents(true).events();
        int other = rig.track(1);
        rig.set(other, Parameter.SOLO_SAFE, 1);
        rig.render(4_800, BlockSizes.fixed(64));
        assertEquals(-60, Decibels.fromGain(rig.render(64, BlockSizes.fixed(64))[0][63]), 1e-4);
    }

    @Test
    void messagesThatSetNoFaderAreReportedWithTheirOwnSample() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC, 7, MidiCurve.LINEAR, false),
                new MidiBinding(2, 0, 1, MidiControlType.CC, 10, track, Parameter.PAN, -1, 1, MidiCurve.LINEAR, false));
        rig.engine.rtMidiIn(0, 10, desk.engine.midi.MidiMessages.pack(CC, 10, 127));
        rig.engine.rtMidiIn(0, 20, desk.engine.midi.MidiMessages.pack(CC, 7, 0));
        rig.engine.rtMidiIn(0, 30, desk.engine.midi.MidiMessages.pack(0x90, 60, 100));
        float[] left = rig.render(64, BlockSizes.fixed(64))[0];
        assertEquals(0, Decibels.fromGain(left[19]), 1e-6, "the fader holds until its message's sample");
        assertTrue(Decibels.fromGain(left[20]) < -1e-4, "and moves on it");
        List<MidiEvent> events = rig.engine.midiEvents(true).events();
        assertEquals(List.of(10L, 20L, 30L), events.stream().map(MidiEvent::sample).toList(),
                "each report keeps its message's sample");
        assertEquals(1, events.get(0).value(), 1e-9);
        assertFalse(events.get(0).applied(), "a pan is set by the session, not the audio thread");
    }

    @Test
    void messagesBeyondWhatOnePeriodHoldsAreDroppedAndCounted() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        bind(rig, binding(1, track, MidiControlType.CC, 7, MidiCurve.LINEAR, false));
        int sent = desk.engine.rt.MidiRouter.BLOCK_CAPACITY + 100;
        for (int i = 0; i < sent; i++) {
            rig.engine.rtMidiIn(0, i % 64, desk.engine.midi.MidiMessages.pack(CC, 7, i % 128));
        }
        rig.engine.rtProcess(new float[0][], new float[2][64], 64);
        desk.engine.midi.MidiReport report = rig.engine.midiEvents(false);
        assertEquals(desk.engine.rt.MidiRouter.BLOCK_CAPACITY, report.received());
        assertEquals(100, report.dropped());
        assertEquals(1, report.events().size(), "coalesced to the binding's last value");
    }

    @Test
    void badBindingsAndMessagesAreRefusedWhole() {
        Rig rig = new Rig(48_000);
        int track = dcTrack(rig);
        EngineException channel = assertThrows(EngineException.class, () -> bind(rig,
                new MidiBinding(1, 0, 17, MidiControlType.CC, 7, track, Parameter.FADER, -60, 6, MidiCurve.LINEAR, true)));
        assertEquals("MIDI channel 17: must be 1..16", channel.getMessage());
        EngineException number = assertThrows(EngineException.class, () -> bind(rig,
                binding(1, track, MidiControlType.CC14, 40, MidiCurve.LINEAR, true)));
        assertEquals("cc14 40: must be 0..31", number.getMessage());
        EngineException status = assertThrows(EngineException.class,
                () -> rig.engine.execute(new EngineCommand.ReceiveMidi(0, 0xF8, 0, 0)));
        assertEquals("MIDI status 248: must be a channel message, 128..239", status.getMessage());
    }

    private static double value(int fourteenBits) {
        return -60 + fourteenBits / 16383.0 * 66;
    }

    /** A mono track fed 1.0 (a square wave's first half), panned hard left. */
    private static int dcTrack(Rig rig) {
        int track = rig.track(1);
        rig.feed(track, 1, rig.generator(GeneratorSpec.square(1, 0)));
        rig.set(track, Parameter.PAN, -1);
        return track;
    }

    private static MidiBinding binding(int id, int track, MidiControlType type, int number, MidiCurve curve,
                                       boolean takeover) {
        return new MidiBinding(id, 0, 1, type, number, track, Parameter.FADER, -60, 6, curve, takeover);
    }

    private static void bind(Rig rig, MidiBinding... bindings) {
        rig.engine.execute(new EngineCommand.SetMidiMap(List.of(bindings)));
    }

    private static void receive(Rig rig, int status, int data1, int data2) {
        rig.engine.execute(new EngineCommand.ReceiveMidi(0, status, data1, data2));
    }
}
