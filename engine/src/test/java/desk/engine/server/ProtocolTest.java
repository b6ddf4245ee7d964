package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.Interpolation;
import desk.engine.MonitorMode;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.io.SampleFormat;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine commands cross the socket as JSON and come out equal, whatever their type. */
class ProtocolTest {
    private static final List<EngineCommand> EXAMPLES = List.of(
            new EngineCommand.CreateStrip(2, StripKind.TRACK, 2),
            new EngineCommand.RemoveStrip(2),
            new EngineCommand.SetOutput(2, 3),
            new EngineCommand.CreateSend(4, 2, 3, true, -12.5),
            new EngineCommand.RemoveSend(4),
            new EngineCommand.SetParameter(2, Parameter.FADER, Double.NEGATIVE_INFINITY),
            new EngineCommand.SetParameter(4, Parameter.SEND_PAN, Double.NaN),
            new EngineCommand.SetPolarity(2, new boolean[]{true, false}),
            new EngineCommand.SetDirectOut(3, new int[]{2, 3}),
            new EngineCommand.SetDirectOut(3, null),
            new EngineCommand.SetClock(desk.engine.ClockRole.FOLLOW, 4, 2),
            new EngineCommand.SetInputLatency(2, 1280),
            new EngineCommand.CreateNodeReturn(9, new int[]{5, 6}, 1536),
            new EngineCommand.CreateGenerator(5, GeneratorSpec.noise(true, -24, 7)),
            new EngineCommand.CreateFileSource(6, Path.of("loops", "drum loop.wav").toAbsolutePath(), 480, true, true),
            new EngineCommand.RemoveSource(5),
            new EngineCommand.SetInput(2, 1, 1, 3),
            new EngineCommand.SetMetering(false),
            new EngineCommand.HoldUpdates(true),
            new EngineCommand.At(12_345, new EngineCommand.SetParameter(2, Parameter.TRIM, -3)),
            new EngineCommand.SetTransport(true),
            new EngineCommand.Locate(96_000),
            new EngineCommand.SetLoop(new desk.engine.LoopRange(48_000, 240_000)),
            new EngineCommand.SetLane(2, Parameter.FADER, new AutomationLane(new long[]{0, 48_000},
                    new double[]{0, Double.NEGATIVE_INFINITY}, new Interpolation[]{Interpolation.S_CURVE, Interpolation.STEP})),
            new EngineCommand.SetLane(2, Parameter.PAN, null),
            new EngineCommand.Glide(4, Parameter.SEND_LEVEL, -6, 4_800, Interpolation.GAIN),
            new EngineCommand.SetLoudness(2, MeterPoint.PRE_FADER),
            new EngineCommand.ResetMeters(NodeIds.NO_NODE),
            new EngineCommand.ResetMetersAfterTrim(4),
            new EngineCommand.SetArmed(2, true),
            new EngineCommand.SetMonitoring(2, MonitorMode.AUTO),
            new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(2, Path.of("takes", "Vox-001.wav")
                    .toAbsolutePath())), SampleFormat.FLOAT_32, 5),
            new EngineCommand.StartTake(List.of(new EngineCommand.TakeTrack(3, Path.of("takes", "Gtr-002.wav")
                    .toAbsolutePath())), SampleFormat.PCM_24, 2, 1_280L),
            new EngineCommand.StopTake(),
            new EngineCommand.SetClips(2, List.of(new EngineCommand.Clip(Path.of("takes", "Vox-001.wav").toAbsolutePath(),
                    480, 48_000, 96_000, -3, 64, 128, true))),
            new EngineCommand.AddInsert(7, 2, "compressor", 0, java.util.Map.of("threshold", -18.5, "detector", 1.0), true),
            new EngineCommand.RemoveInsert(7),
            new EngineCommand.MoveInsert(7, -1),
            new EngineCommand.SetInsertBypass(7, false),
            new EngineCommand.RestInsert(7, true),
            new EngineCommand.SetInsertParameter(7, "ratio", 3.5),
            new EngineCommand.SetInsertLane(7, "threshold", new AutomationLane(new long[]{0, 96_000},
                    new double[]{-18, -30}, new Interpolation[]{Interpolation.GAIN, Interpolation.GAIN})),
            new EngineCommand.GlideInsert(7, "makeup", 6, 24_000, null),
            new EngineCommand.SetInsertKey(7, 3, MeterPoint.POST_FADER),
            new EngineCommand.SetMidiMap(List.of(new desk.engine.midi.MidiBinding(1, 0, 2,
                    desk.engine.midi.MidiControlType.CC14, 7, 3, desk.engine.Parameter.FADER, -60, 6,
                    desk.engine.midi.MidiCurve.FADER, true))),
            new EngineCommand.SetMidiCurrent(1, 0.75),
            new EngineCommand.ReceiveMidi(0, 0xB1, 7, 100),
            new EngineCommand.SendMidi(2, 0x90, 60, 127));

    @Test
    void everyCommandTypeRoundTripsThroughJson() throws Exception {
        Set<Class<?>> covered = new HashSet<>();
        for (EngineCommand command : EXAMPLES) {
            ObjectNode request = Protocol.JSON.readValue(Protocol.line(Protocol.execute(command)), ObjectNode.class);
            EngineCommand decoded = Protocol.command(request);
            assertEquals(command.getClass(), decoded.getClass());
            JsonNode original = Protocol.JSON.valueToTree(command);
            assertEquals(original, Protocol.JSON.valueToTree(decoded), command.toString());
            covered.add(command.getClass());
        }
        for (Class<?> type : EngineCommand.class.getPermittedSubclasses()) {
            assertEquals(true, covered.contains(type), "an example of " + type.getSimpleName());
        }
        EngineCommand.SetParameter closed = (EngineCommand.SetParameter) Protocol.command(Protocol.execute(EXAMPLES.get(5)));
        assertEquals(Double.NEGATIVE_INFINITY, closed.value());
    }

    @Test
    void aTransportStateTravelsWithItsLoopRange() throws Exception {
        for (desk.engine.TransportState state : java.util.List.of(
                new desk.engine.TransportState(true, 1_000, 5_000, new desk.engine.LoopRange(480, 96_000), 4_000),
                new desk.engine.TransportState(false, 7, 9))) {
            String line = Protocol.JSON.writeValueAsString(state);
            assertEquals(state, Protocol.JSON.readValue(line, desk.engine.TransportState.class), line);
        }
    }

    @Test
    void anUnknownCommandIsRefusedByName() {
        ObjectNode request = Protocol.request(Operation.EXECUTE).put("type", "Frobnicate");
        EngineException refused = assertThrows(EngineException.class, () -> Protocol.command(request));
        assertEquals(true, refused.getMessage().startsWith("unknown engine command \"Frobnicate\": the engine knows"),
                refused.getMessage());
    }

    @Test
    void everyOperationIsFoundByItsWireNameAndMatchedInBytes() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Operation operation : Operation.values()) {
            assertTrue(names.add(operation.wireName()), "one name per operation: " + operation.wireName());
            assertEquals(operation, Operation.named(operation.wireName()));
            byte[] line = ("{\"op\":\"" + operation.wireName() + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int start = 7;
            int end = start + operation.wireName().length();
            for (Operation other : Operation.values()) {
                assertEquals(other == operation, other.isNamedBy(line, start, end), other + " against " + operation);
            }
        }
    }

    @Test
    void anUnknownOperationIsRefusedInOneLineListingTheKnownOnes() {
        EngineException refused = assertThrows(EngineException.class, () -> Operation.named("frobnicate"));
        assertEquals(true, refused.getMessage().startsWith("unknown request \"frobnicate\": the engine answers execute, meter,"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
    }
}
