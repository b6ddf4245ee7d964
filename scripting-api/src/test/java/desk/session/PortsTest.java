package desk.session;

import desk.engine.AudioInterface;
import desk.engine.BuiltInInterface;
import desk.engine.DiskState;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.EngineLink;
import desk.engine.InsertReading;
import desk.engine.Limits;
import desk.engine.LocalEngineLink;
import desk.engine.NodeIds;
import desk.engine.TransportState;
import desk.engine.meter.MeterPoint;
import desk.engine.meter.MeterReading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Buses' output ports in the session: direct outs and the connections of the master's and the buses' ports,
 * on the built-in interface (kept, no ports) and on an interface with ports per bus (the engine carries the
 * bus onto the ports' channels, in the right order with the port changes), with refusals that change nothing.
 */
class PortsTest {
    private static final List<List<String>> MASTER_DEFAULT = List.of(List.of("system:playback_1"),
            List.of("system:playback_2"));

    private static void refused(String message, Runnable action) {
        DeskException refusal = assertThrows(DeskException.class, action::run);
        assertEquals(message, refusal.getMessage());
    }

    @Test
    void onTheBuiltInBackendsADirectOutAndItsConnectionsAreKeptWithoutPorts() {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 4)));
        Bus drums = session.bus("Drums");
        Bus master = session.master();
        assertEquals(MASTER_DEFAULT, master.connections());
        assertEquals(List.of(), master.ports());
        assertEquals(List.of(), drums.connections(), "no direct out, nothing to connect");

        drums.directOut(true);
        drums.directOut(true);
        assertTrue(drums.directOut());
        assertEquals(List.of(), drums.ports(), "the built-in interfaces have no ports per bus");
        drums.connectOut(Arrays.asList("system:playback_3", null));
        drums.connectOut(List.of("system:playback_3", "system:playback_4"));
        assertEquals(List.of(List.of("system:playback_3"), List.of("system:playback_4")), drums.connections());
        assertEquals("Bus Drums (group, stereo, direct out) trim 0.0 fader 0.0 dB bal C -> master", drums.toString());
        drums.name("Kit");
        assertEquals(List.of(List.of("system:playback_3"), List.of("system:playback_4")), drums.connections());

        master.disconnectOut("system:playback_2");
        master.connectOut(Arrays.asList(null, "system:playback_3"));
        assertEquals(List.of(List.of("system:playback_1"), List.of("system:playback_3")), master.connections());
        master.disconnectOut(null);
        assertEquals(List.of(List.of(), List.of()), master.connections());

        drums.directOut(false);
        assertEquals(List.of(), drums.connections(), "the connections went with the direct out");
        drums.directOut(true);
        assertEquals(List.of(List.of(), List.of()), drums.connections(), "a new direct out starts unconnected");
    }

    @Test
    void refusalsNameTheMemberTheValueAndWhatIsAllowedAndChangeNothing() {
        Session session = new Session(new LocalEngineLink(new Engine(48000, 4)));
        Bus drums = session.bus("Drums");
        Bus aux = session.bus("FX", "aux", 1);
        Bus master = session.master();
        refused("master.directOut: the master has output ports of its own always: connect them with"
                + " master.connectOut", () -> master.directOut(true));
        refused("Drums.connectOut: Drums has no direct out: set Drums.directOut = true first",
                () -> drums.connectOut(List.of("system:playback_3", "system:playback_4")));
        refused("Drums.disconnectOut: Drums has no direct out: set Drums.directOut = true first",
                () -> drums.disconnectOut(null));
        drums.directOut(true);
        refused("Drums.connectOut needs 2 port names (one per channel, null for none), got 1",
                () -> drums.connectOut(List.of("system:playback_3")));
        aux.directOut(true);
        refused("FX.connectOut needs 1 port name (one per channel, null for none), got 2",
                () -> aux.connectOut(List.of("system:playback_3", "system:playback_4")));
        refused("Drums.connectOut: output port \"system:playback_9\": must be one of"
                + " system:playback_1..system:playback_4",
                () -> drums.connectOut(List.of("system:playback_3", "system:playback_9")));
        assertEquals(List.of(List.of(), List.of()), drums.connections(), "the good half was not connected");
        refused("master.disconnectOut \"system:playback_4\": master feeds system:playback_1, system:playback_2",
                () -> master.disconnectOut("system:playback_4"));
        master.disconnectOut(null);
        refused("master.disconnectOut \"system:playback_1\": master feeds no port",
                () -> master.disconnectOut("system:playback_1"));
        drums.remove();
        refused("Drums was removed", () -> drums.directOut(false));
        refused("Drums was removed", drums::connections);
    }

    @Test
    void withPortsPerBusTheEngineCarriesTheBusOntoThePortsAndPortsFollowTheBus() {
        List<String> log = new ArrayList<>();
        Engine engine = new Engine(48000, 0, Limits.FIRST_DIRECT_OUT + 4);
        PortsPerBus ports = new PortsPerBus(log, null);
        Session session = new Session(new Logged(new LocalEngineLink(engine), log), ports);
        Track kick = session.track("Kick");
        kick.input(session.generator("sine", Map.of("freq", 1000.0, "level", -12.0)));
        Bus drums = session.bus("Drums");
        kick.output(drums);
        drums.fader(-6);
        session.master().fader(Double.NEGATIVE_INFINITY);
        log.clear();
        drums.directOut(true);
        assertEquals(List.of("addDirectOut Drums", "SetDirectOut [2, 3]"), log);
        assertEquals(List.of("desk:Drums_out_1", "desk:Drums_out_2"), drums.ports());
        drums.connectOut(List.of("system:playback_3", "system:playback_4"));

        float[][] playback = new float[Limits.FIRST_DIRECT_OUT + 4][4800];
        engine.rtProcess(new float[0][], playback, 4800);
        double expected = -12 - 3.0103 - 6;
        assertEquals(expected, peakDb(playback[2]), 0.001, "the bus after its fader on the first port");
        assertEquals(expected, peakDb(playback[3]), 0.001);
        assertEquals(Double.NEGATIVE_INFINITY, peakDb(playback[0]), "the master is closed");

        log.clear();
        drums.name("Kit");
        drums.directOut(false);
        assertEquals(List.of("renameDirectOut Kit", "SetDirectOut []", "removeDirectOut"), log,
                "the engine fades the direct out before its ports go");
        drums.directOut(true);
        log.clear();
        drums.remove();
        assertEquals(List.of("SetOutput", "RemoveStrip", "removeDirectOut"), log);
    }

    @Test
    void aConnectionTheInterfaceRefusesHalfwayIsUndoneAndAFailedDirectOutLeavesNoPorts() {
        List<String> log = new ArrayList<>();
        Engine engine = new Engine(48000, 0, Limits.FIRST_DIRECT_OUT + 1);
        Session session = new Session(new Logged(new LocalEngineLink(engine), log),
                new PortsPerBus(log, "system:playback_4"));
        Bus master = session.master();
        refused("JACK refused to connect to system:playback_4",
                () -> master.connectOut(List.of("system:playback_3", "system:playback_4")));
        assertEquals(MASTER_DEFAULT, master.connections(), "system:playback_3 was disconnected again");

        Bus drums = session.bus("Drums");
        log.clear();
        refused("direct out of bus " + NodeIds.FIRST_FREE_ID + ": playback channel 4: must be 3..3 (1 and 2 are the"
                + " master's)", () -> drums.directOut(true));
        assertEquals(List.of("addDirectOut Drums", "SetDirectOut [2, 3]", "removeDirectOut"), log,
                "the ports went again");
        assertFalse(drums.directOut());
    }

    private static double peakDb(float[] samples) {
        double peak = 0;
        for (int i = samples.length / 2; i < samples.length; i++) {
            peak = Math.max(peak, Math.abs(samples[i]));
        }
        return 20 * Math.log10(peak);
    }

    /** An interface with ports per bus, as JACK has them, over the built-in one's bookkeeping; logs port changes. */
    private static final class PortsPerBus implements AudioInterface {
        private final BuiltInInterface kept = new BuiltInInterface("test", 8, 48000, 256, () -> 0);
        private final List<String> log;
        private final String refused;

        @Override
        public desk.engine.midi.MidiPorts midiPorts() {
            return kept.midiPorts();
        }
        private final Map<Integer, List<String>> names = new HashMap<>();
        private int nextChannel = Limits.FIRST_DIRECT_OUT;

        PortsPerBus(List<String> log, String refused) {
            this.log = log;
            this.refused = refused;
        }

        @Override
        public String describe() {
            return "ports per bus";
        }

        @Override
        public List<String> inputs() {
            return kept.inputs();
        }

        @Override
        public List<String> outputs() {
            return kept.outputs();
        }

        @Override
        public void addTrack(int trackId, String name, int channels) {
            kept.addTrack(trackId, name, channels);
        }

        @Override
        public void renameTrack(int trackId, String name) {
            kept.renameTrack(trackId, name);
        }

        @Override
        public void removeTrack(int trackId) {
            kept.removeTrack(trackId);
        }

        @Override
        public void checkInput(String port) {
            kept.checkInput(port);
        }

        @Override
        public int connectInput(int trackId, int channel, String port) {
            return kept.connectInput(trackId, channel, port);
        }

        @Override
        public List<String> busPorts(int busId) {
            return names.getOrDefault(busId, List.of());
        }

        @Override
        public int[] addDirectOut(int busId, String name, int channels) {
            log.add("addDirectOut " + name);
            kept.addDirectOut(busId, name, channels);
            List<String> made = new ArrayList<>();
            int[] playback = new int[channels];
            for (int c = 0; c < channels; c++) {
                made.add("desk:" + name + "_out_" + (c + 1));
                playback[c] = nextChannel++;
            }
            names.put(busId, made);
            return playback;
        }

        @Override
        public void renameDirectOut(int busId, String name) {
            log.add("renameDirectOut " + name);
        }

        @Override
        public void removeDirectOut(int busId) {
            log.add("removeDirectOut");
            kept.removeDirectOut(busId);
            names.remove(busId);
        }

        @Override
        public void checkOutput(String port) {
            kept.checkOutput(port);
        }

        @Override
        public List<List<String>> connections(int busId) {
            return kept.connections(busId);
        }

        @Override
        public void connectOutput(int busId, int channel, String port) {
            if (port.equals(refused)) {
                throw new EngineException("JACK refused to connect to " + port);
            }
            kept.connectOutput(busId, channel, port);
        }

        @Override
        public void disconnectOutput(int busId, int channel, String port) {
            kept.disconnectOutput(busId, channel, port);
        }

        @Override
        public Latency latency() {
            return kept.latency();
        }

        @Override
        public long xruns() {
            return 0;
        }
    }

    /** An engine link that logs the direct outs and strip removals it is given. */
    private record Logged(EngineLink link, List<String> log) implements EngineLink {
        @Override
        public void execute(EngineCommand command) {
            switch (command) {
                case EngineCommand.SetDirectOut c -> log.add("SetDirectOut "
                        + Arrays.toString(c.playbackChannels() == null ? new int[0] : c.playbackChannels()));
                case EngineCommand.SetOutput c -> log.add("SetOutput");
                case EngineCommand.RemoveStrip c -> log.add("RemoveStrip");
                default -> {
                }
            }
            link.execute(command);
        }

        @Override
        public MeterReading meter(int stripId, MeterPoint point) {
            return link.meter(stripId, point);
        }

        @Override
        public InsertReading insert(int insertId) {
            return link.insert(insertId);
        }

        @Override
        public String insertState(int insertId) {
            return link.insertState(insertId);
        }

        @Override
        public desk.engine.midi.MidiReport midiEvents(boolean all) {
            return link.midiEvents(all);
        }

        @Override
        public int stripLatency(int stripId) {
            return link.stripLatency(stripId);
        }

        @Override
        public desk.engine.ClockReading clock() {
            return link.clock();
        }

        @Override
        public int sampleRate() {
            return link.sampleRate();
        }

        @Override
        public int capturePorts() {
            return link.capturePorts();
        }

        @Override
        public long position() {
            return link.position();
        }

        @Override
        public TransportState transport() {
            return link.transport();
        }

        @Override
        public long failures() {
            return link.failures();
        }

        @Override
        public Throwable lastFailure() {
            return link.lastFailure();
        }

        @Override
        public DiskState disk() {
            return link.disk();
        }
    }
}
