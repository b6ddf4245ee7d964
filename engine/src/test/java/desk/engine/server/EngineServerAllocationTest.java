package desk.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import desk.engine.BuiltInInterface;
import desk.engine.Engine;
import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.backend.DummyBackend;
import desk.engine.meter.MeterPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the engine process allocates per steady-state request: the real {@link EngineServer} serves an
 * engine on the dummy clock over a Unix domain socket, in this process, and a client sends it the requests a
 * live session sends all the time (parameter changes, at once and at a sample, the position, transport,
 * meter, disk and xrun queries, and the allocation figures) as the REPL's link writes them; the server
 * thread's allocated-bytes counter is read around each batch. Once warmed up (the JIT resolves a few
 * constants on the thread that first needs them compiled), no request allocates a byte. A late compilation
 * of the server's loop (an on-stack replacement, with the method handles it links) can still cost a few
 * hundred bytes once, so the requests are measured in rounds, up to five: one round in which none of them
 * allocates shows the steady state, while a request that allocates each time shows in every round.
 * <p>
 * Node ids lie above the range Java caches boxed integers for, so a lookup that boxes its key would show.
 * Meter answers format doubles with {@link StringBuilder#append(double)}, which allocates nothing on JDK 25;
 * on a JDK whose formatting allocates, they are measured but not held to zero.
 */
class EngineServerAllocationTest {
    private static final int RATE = 48000;
    private static final int FIRST_ID = 1000;
    private static final int CHUNK = 2_000;
    private static final int MIN_WARM_UP = 40_000;
    /** Rounds of measurement at most: one in which no request allocates is the steady state shown. */
    private static final int ROUNDS = 5;
    private static final int MAX_WARM_UP = 200_000;
    private static final int MEASURED = 1_000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final SplittableRandom random = new SplittableRandom(7);
    private final AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    private Engine engine;
    private DummyBackend clock;
    private SocketChannel client;
    private BufferedReader answers;
    private Writer requests;
    private Thread serving;
    private int monoTrack;
    private int stereoTrack;
    private int send;

    @BeforeEach
    void start(@TempDir Path folder) throws IOException {
        engine = new Engine(RATE, 8);
        clock = new DummyBackend(engine, 256);
        clock.start();
        buildSession();
        Path socket = folder.resolve("engine.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            SocketChannel end = listener.accept();
            EngineServer server = new EngineServer(engine, new BuiltInInterface("the dummy clock", 8, RATE, 256,
                    clock::xruns), end);
            serving = new Thread(() -> {
                try {
                    server.serve();
                } catch (Throwable failure) {
                    serverFailure.set(failure);
                }
            }, "engine-server");
            serving.start();
        }
        answers = new BufferedReader(Channels.newReader(client, StandardCharsets.UTF_8));
        requests = Channels.newWriter(client, StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (serving != null) {
            serving.join(10_000);
        }
        if (clock != null) {
            clock.close();
        }
    }

    /** A mono and a stereo track on generators, into a group bus, each with a send to an aux bus; rolling. */
    private void buildSession() {
        int id = FIRST_ID;
        int group = id++;
        int aux = id++;
        int tone = id++;
        int noise = id++;
        monoTrack = id++;
        stereoTrack = id++;
        send = id++;
        int stereoSend = id;
        engine.execute(new EngineCommand.CreateStrip(group, StripKind.GROUP_BUS, 2));
        engine.execute(new EngineCommand.CreateStrip(aux, StripKind.AUX_BUS, 2));
        engine.execute(new EngineCommand.CreateGenerator(tone, GeneratorSpec.sine(440, -12)));
        engine.execute(new EngineCommand.CreateGenerator(noise, GeneratorSpec.noise(false, -18, 3)));
        engine.execute(new EngineCommand.CreateStrip(monoTrack, StripKind.TRACK, 1));
        engine.execute(new EngineCommand.SetInput(monoTrack, 0, tone, 0));
        engine.execute(new EngineCommand.CreateStrip(stereoTrack, StripKind.TRACK, 2));
        engine.execute(new EngineCommand.SetInput(stereoTrack, 0, noise, 0));
        engine.execute(new EngineCommand.SetInput(stereoTrack, 1, tone, 0));
        engine.execute(new EngineCommand.SetOutput(monoTrack, group));
        engine.execute(new EngineCommand.SetOutput(stereoTrack, group));
        engine.execute(new EngineCommand.CreateSend(send, monoTrack, aux, false, -12));
        engine.execute(new EngineCommand.CreateSend(stereoSend, stereoTrack, aux, true, -18));
        engine.execute(new EngineCommand.SetLoudness(stereoTrack, MeterPoint.POST_FADER));
        engine.execute(new EngineCommand.SetTransport(true));
    }

    /** The steady-state requests, by name, each making a fresh request line as the REPL's link writes it. */
    private Map<String, Supplier<ObjectNode>> steadyRequests() {
        Map<String, Supplier<ObjectNode>> all = new LinkedHashMap<>();
        all.put("fader", () -> set(stereoTrack, Parameter.FADER, -60 + 66 * random.nextDouble()));
        all.put("fader at a sample", () -> Protocol.execute(new EngineCommand.At(engine.position() + 2400,
                new EngineCommand.SetParameter(monoTrack, Parameter.FADER, -30 * random.nextDouble()))));
        all.put("trim", () -> set(monoTrack, Parameter.TRIM, -24 + 48 * random.nextDouble()));
        all.put("pan", () -> set(monoTrack, Parameter.PAN, -1 + 2 * random.nextDouble()));
        all.put("balance", () -> set(stereoTrack, Parameter.BALANCE, -1 + 2 * random.nextDouble()));
        all.put("send level", () -> set(send, Parameter.SEND_LEVEL, -40 + 40 * random.nextDouble()));
        all.put("mute", () -> set(stereoTrack, Parameter.MUTE, random.nextInt(2)));
        all.put("position", () -> Protocol.request(Operation.POSITION));
        all.put("transport", () -> Protocol.request(Operation.TRANSPORT));
        all.put("meter", () -> Protocol.request(Operation.METER).put("strip", monoTrack).put("point", "PRE_FADER"));
        all.put("meter with loudness", () -> Protocol.request(Operation.METER).put("strip", stereoTrack)
                .put("point", "POST_FADER"));
        all.put("disk", () -> Protocol.request(Operation.DISK));
        all.put("xruns", () -> Protocol.request(Operation.XRUNS));
        all.put("allocation", () -> Protocol.request(Operation.ALLOCATION));
        all.put("MIDI reports, every one", () -> Protocol.request(Operation.MIDI_EVENTS));
        all.put("MIDI reports, the latest", () -> Protocol.request(Operation.MIDI_LATEST));
        return all;
    }

    private static ObjectNode set(int node, Parameter parameter, double value) {
        return Protocol.execute(new EngineCommand.SetParameter(node, parameter, value));
    }

    /** Sends one request and returns the answer's value; fails on a refusal. */
    private JsonNode call(ObjectNode request) throws IOException {
        requests.write(Protocol.line(request));
        requests.write('\n');
        requests.flush();
        JsonNode answer = Protocol.JSON.readTree(answers.readLine());
        assertTrue(answer.has("ok"), () -> request + " was refused: " + answer);
        return answer.get("ok");
    }

    private long serverBytes() {
        return threads.getThreadAllocatedBytes(serving.threadId());
    }

    /** Whether this JDK appends doubles to a StringBuilder without allocating, once warmed up. */
    private boolean jdkFormatsDoublesWithoutAllocating() {
        StringBuilder text = new StringBuilder(32);
        long before = 0;
        for (int i = 0; i < 200_000; i++) {
            if (i == 100_000) {
                before = threads.getCurrentThreadAllocatedBytes();
            }
            text.setLength(0);
            text.append(-60 * random.nextDouble());
        }
        return threads.getCurrentThreadAllocatedBytes() == before;
    }

    @Test
    void steadyStateRequestsAllocateNothingOnTheServerThread() throws IOException {
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM measures allocation per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        Map<String, Supplier<ObjectNode>> steady = steadyRequests();
        Supplier<ObjectNode>[] mixed = steady.values().toArray(Supplier[]::new);
        int warmed = 0;
        for (int quiet = 0; (quiet < 3 || warmed < MIN_WARM_UP) && warmed < MAX_WARM_UP; warmed += CHUNK) {
            long before = serverBytes();
            for (int i = 0; i < CHUNK; i++) {
                call(mixed[i % mixed.length].get());
            }
            quiet = serverBytes() == before ? quiet + 1 : 0;
        }
        boolean formattingFree = jdkFormatsDoublesWithoutAllocating();
        Map<String, Long> allocated = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        for (int round = 1; round <= ROUNDS; round++) {
            allocated.clear();
            for (Map.Entry<String, Supplier<ObjectNode>> request : steady.entrySet()) {
                long before = serverBytes();
                for (int i = 0; i < MEASURED; i++) {
                    call(request.getValue().get());
                }
                allocated.put(request.getKey(), serverBytes() - before);
            }
            report.setLength(0);
            report.append("bytes allocated per request by the server thread, after ").append(warmed)
                    .append(" requests of warm-up, in round ").append(round).append(':');
            allocated.forEach((name, bytes) -> report.append(String.format(Locale.ROOT, "%n  %-20s %8.1f", name,
                    (double) bytes / MEASURED)));
            System.out.println(report);
            boolean quietRound = allocated.entrySet().stream()
                    .allMatch(entry -> entry.getValue() == 0 || !formattingFree && entry.getKey().startsWith("meter"));
            if (quietRound) {
                break;
            }
        }

        allocated.forEach((name, bytes) -> {
            if (formattingFree || !name.startsWith("meter")) {
                assertEquals(0, bytes, () -> name + ": bytes allocated over " + MEASURED + " requests; " + report);
            }
        });
        assertNull(serverFailure.get());
        assertEquals(0, engine.failures(), "no failure inside DSP");
        assertTrue(call(Protocol.request(Operation.POSITION)).asLong() > 0, "the engine's clock runs");
        assertTrue(call(Protocol.request(Operation.TRANSPORT)).path("rolling").asBoolean(), "the transport rolls");
    }
}
