package desk.engine.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.AudioInterface;
import desk.engine.BuiltInInterface;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady-state requests are answered in place exactly as the general path answers them: the same
 * JSON, character for character, for the queries; the same settings for parameter changes, however their
 * numbers are written; the same refusals. Anything else is left to the general path, untouched.
 */
class SteadyRequestsTest {
    private static final int RATE = 48000;
    private static final int TRACK = 200;
    private static final int MONO = 201;
    private static final int AUX = 202;
    private static final int SEND = 203;
    private static final int TONE = 204;

    private Engine engine;
    private SteadyRequests steady;
    private final ReplyBuffer reply = new ReplyBuffer();

    @BeforeEach
    void build() {
        engine = new Engine(RATE, 2);
        AudioInterface ports = new BuiltInInterface("test", 2, RATE, 256, () -> 17);
        steady = new SteadyRequests(engine, ports);
        engine.execute(new EngineCommand.CreateGenerator(TONE, GeneratorSpec.sine(1000, -6)));
        engine.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 2));
        engine.execute(new EngineCommand.SetInput(TRACK, 0, TONE, 0));
        engine.execute(new EngineCommand.CreateStrip(MONO, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetInput(MONO, 0, TONE, 0));
        engine.execute(new EngineCommand.CreateStrip(AUX, StripKind.AUX_BUS, 2));
        engine.execute(new EngineCommand.CreateSend(SEND, MONO, AUX, false, -6));
        engine.execute(new EngineCommand.SetLoudness(TRACK, MeterPoint.POST_FADER));
        engine.execute(new EngineCommand.SetTransport(true));
        render(RATE);
    }

    private void render(int frames) {
        float[][] capture = new float[2][256];
        float[][] playback = new float[2][256];
        for (int done = 0; done < frames; done += 256) {
            engine.rtProcess(capture, playback, 256);
        }
    }

    /** The answer of the steady path to {@code request}, or null when it leaves it to the general path. */
    private String answer(String request) {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        reply.clear();
        return steady.answer(bytes, bytes.length, reply)
                ? new String(reply.bytes(), 0, reply.length(), StandardCharsets.US_ASCII) : null;
    }

    /** The line the general path writes for {@code value}. */
    private static String general(Object value) {
        ObjectNode answer = Protocol.JSON.createObjectNode();
        answer.set("ok", Protocol.JSON.valueToTree(value));
        return Protocol.line(answer) + "\n";
    }

    @Test
    void queriesAreAnsweredAsTheGeneralPathWritesThem() {
        for (MeterPoint point : MeterPoint.values()) {
            for (int strip : new int[]{TRACK, MONO, AUX, NodeIds.MASTER_ID}) {
                String request = Protocol.line(Protocol.request(Operation.METER).put("strip", strip).put("point", point.name()));
                assertEquals(general(engine.meter(strip, point)), answer(request), request);
            }
        }
        assertTrue(answer(Protocol.line(Protocol.request(Operation.METER).put("strip", TRACK).put("point", "POST_FADER")))
                .contains("\"loudness\":{\"momentary\":"), "the loudness the track measures after its fader");
        assertEquals(general(engine.position()), answer("{\"op\":\"position\"}"));
        assertEquals(general(engine.transport()), answer("{\"op\":\"transport\"}"));
        assertEquals(general(engine.disk()), answer("{\"op\":\"disk\"}"));
        assertEquals(general(17L), answer(" { \"op\" : \"xruns\" } "));
    }

    @Test
    void midiReportsAreAnsweredAsTheGeneralPathWritesThem() {
        Engine twin = new Engine(RATE, 2);
        for (Engine each : new Engine[] {engine, twin}) {
            if (each == twin) {
                twin.execute(new EngineCommand.CreateGenerator(TONE, GeneratorSpec.sine(1000, -6)));
                twin.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 2));
                for (int done = 0; done < RATE; done += 256) {
                    twin.rtProcess(new float[2][256], new float[2][256], 256);
                }
            }
            each.execute(new EngineCommand.SetMidiMap(List.of(new desk.engine.midi.MidiBinding(1, 0, 1,
                    desk.engine.midi.MidiControlType.CC, 7, TRACK, Parameter.FADER, -60, 6,
                    desk.engine.midi.MidiCurve.LINEAR, true))));
            each.execute(new EngineCommand.SetMidiCurrent(1, 0.5));
            for (int[] message : new int[][] {{0xB0, 7, 0}, {0xB0, 7, 70}, {0xB0, 7, 90}, {0x90, 60, 100}}) {
                each.execute(new EngineCommand.ReceiveMidi(0, message[0], message[1], message[2]));
            }
            float[][] playback = new float[2][256];
            each.rtProcess(new float[2][256], playback, 256);
        }
        String steadyAnswer = answer("{\"op\":\"midiEvents\"}");
        assertEquals(general(Protocol.midiReport(twin.midiEvents(true))), steadyAnswer);
        assertTrue(steadyAnswer.contains("\"NaN\",false]"), "a held message: " + steadyAnswer);
        assertTrue(steadyAnswer.contains("\"received\":4"), steadyAnswer);
        assertEquals(general(Protocol.midiReport(twin.midiEvents(false))), answer("{\"op\":\"midiLatest\"}"));
    }

    @Test
    void parameterChangesSetWhatTheGeneralPathSets() throws Exception {
        Engine twin = new Engine(RATE, 2);
        twin.execute(new EngineCommand.CreateGenerator(TONE, GeneratorSpec.sine(1000, -6)));
        twin.execute(new EngineCommand.CreateStrip(TRACK, StripKind.TRACK, 2));
        twin.execute(new EngineCommand.SetInput(TRACK, 0, TONE, 0));
        twin.execute(new EngineCommand.CreateStrip(MONO, StripKind.TRACK, 1));
        twin.execute(new EngineCommand.SetInput(MONO, 0, TONE, 0));
        twin.execute(new EngineCommand.CreateStrip(AUX, StripKind.AUX_BUS, 2));
        twin.execute(new EngineCommand.CreateSend(SEND, MONO, AUX, false, -6));
        twin.execute(new EngineCommand.SetLoudness(TRACK, MeterPoint.POST_FADER));
        twin.execute(new EngineCommand.SetTransport(true));
        float[][] capture = new float[2][256];
        float[][] mine = new float[2][256];
        float[][] theirs = new float[2][256];
        for (int done = 0; done < RATE; done += 256) {
            twin.rtProcess(capture, theirs, 256);
        }
        SplittableRandom random = new SplittableRandom(5);
        String[] forms = {"%s", "%se0", "%sE+00", " %s "};
        for (int i = 0; i < 2000; i++) {
            EngineCommand.SetParameter change = switch (random.nextInt(5)) {
                case 0 -> new EngineCommand.SetParameter(TRACK, Parameter.FADER, -90 + 100 * random.nextDouble());
                case 1 -> new EngineCommand.SetParameter(MONO, Parameter.PAN, -1 + 2 * random.nextDouble());
                case 2 -> new EngineCommand.SetParameter(TRACK, Parameter.BALANCE, random.nextInt(-4, 5) / 4.0);
                case 3 -> new EngineCommand.SetParameter(SEND, Parameter.SEND_LEVEL, -random.nextInt(60) / 8.0);
                default -> new EngineCommand.SetParameter(MONO, Parameter.MUTE, random.nextInt(2));
            };
            ObjectNode request = Protocol.execute(random.nextBoolean() ? change
                    : new EngineCommand.At(engine.position() + random.nextInt(512), change));
            String line = Protocol.line(request);
            String written = request.path("command").path("value").toString();
            String form = written.contains("E") ? "%s" : forms[random.nextInt(forms.length)];
            line = line.replace("\"value\":" + written, "\"value\":" + String.format(form, written));
            assertEquals("{\"ok\":null}\n", answer(line), line);
            twin.execute(Protocol.command(Protocol.JSON.readTree(line)));
            engine.rtProcess(capture, mine, 256);
            twin.rtProcess(capture, theirs, 256);
            assertArrayEquals(theirs[0], mine[0], line);
            assertArrayEquals(theirs[1], mine[1], line);
        }
    }

    @Test
    void refusalsAreTheEnginesOwn() {
        String tooLoud = Protocol.line(Protocol.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, 20)));
        EngineException refused = assertThrows(EngineException.class, () -> answer(tooLoud));
        EngineException expected = assertThrows(EngineException.class,
                () -> engine.execute(new EngineCommand.SetParameter(TRACK, Parameter.FADER, 20)));
        assertEquals(expected.getMessage(), refused.getMessage());
        String late = Protocol.line(Protocol.execute(new EngineCommand.At(-5,
                new EngineCommand.SetParameter(TRACK, Parameter.FADER, -3))));
        assertEquals("command time -5: must be 0.." + Limits.MAX_SAMPLE_TIME + " samples",
                assertThrows(EngineException.class, () -> answer(late)).getMessage());
        assertThrows(EngineException.class, () -> answer("{\"op\":\"meter\",\"strip\":999,\"point\":\"INPUT\"}"));
    }

    @Test
    void everythingElseIsLeftToTheGeneralPath() {
        List<String> others = List.of(
                "",
                "{}",
                "{\"op\":\"sampleRate\"}",
                "{\"op\":\"describe\"}",
                Protocol.line(Protocol.execute(new EngineCommand.SetOutput(TRACK, AUX))),
                Protocol.line(Protocol.execute(new EngineCommand.SetMetering(false))),
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"FADER\"}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"FADER\","
                        + "\"value\":-3,\"extra\":1}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"LOUDNESS\","
                        + "\"value\":-3}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"FADER\","
                        + "\"value\":-Infinity}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"FADER\","
                        + "\"value\":\"-3\"}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200.0,\"parameter\":\"FADER\","
                        + "\"value\":-3}}",
                "{\"op\":\"execute\",\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,\"parameter\":\"FADER\","
                        + "\"value\":-3.00000000000000000001}}",
                "{\"op\":\"execute\",\"at\":1.5,\"type\":\"SetParameter\",\"command\":{\"nodeId\":200,"
                        + "\"parameter\":\"FADER\",\"value\":-3}}",
                "{\"op\":\"pos\\u0069tion\"}",
                "{\"op\":\"position\",\"strip\":3}",
                "{\"op\":\"meter\",\"strip\":200,\"point\":\"SIDE\"}",
                "{\"op\":\"meter\",\"strip\":200}",
                "{\"op\":\"position\"} x",
                "{\"op\":\"disk\"");
        for (String request : others) {
            assertEquals(null, answer(request), request);
        }
    }
}
