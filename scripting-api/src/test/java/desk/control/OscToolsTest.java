package desk.control;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.JackServer;
import desk.session.Session;
import desk.session.Track;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Desk's OSC server driven by real OSC tools, oscsend and oscdump from liblo: they move a fader, mute a
 * strip, recall a scene, and receive the feedback and meter frames at the rate they asked for.
 */
class OscToolsTest {
    private ExecutorService controlThread;
    private Session session;
    private OscSurface osc;
    private Process dump;
    private final List<String> notices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        JackServer.requireTools("oscsend", "oscdump");
        controlThread = Executors.newSingleThreadExecutor();
        session = new Session(new LocalEngineLink(new Engine(48_000, 0)));
        osc = new OscSurface(session, controlThread, notices::add, Clock.systemUTC(), false);
    }

    @AfterEach
    void tearDown() {
        if (dump != null) {
            dump.destroy();
        }
        if (osc != null) {
            osc.close();
        }
        if (controlThread != null) {
            controlThread.shutdownNow();
        }
    }

    private <T> T onControl(Callable<T> task) throws Exception {
        return controlThread.submit(task).get();
    }

    private void oscsend(int port, String address, String types, String... values) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("oscsend", "127.0.0.1", Integer.toString(port), address, types));
        command.addAll(List.of(values));
        Process send = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(send.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, send.exitValue(), new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    private boolean holds(Callable<Boolean> condition) {
        try {
            return onControl(condition);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oscsendMovesMutesAndRecallsWhileOscdumpGetsFeedbackAndMetersAtTheRateAsked() throws Exception {
        Track vox = onControl(() -> {
            Track track = session.track("Lead Vox");
            session.scene("verse", null, null);
            return track;
        });
        int port = osc.listen("127.0.0.1", 0, null).getPort();
        int dumpPort;
        try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            dumpPort = free.getLocalPort();
        }
        dump = new ProcessBuilder("oscdump", "-L", Integer.toString(dumpPort)).redirectErrorStream(true).start();
        List<long[]> meterTimes = new CopyOnWriteArrayList<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(dump.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.contains(" /desk/strip/master/meter fff ")) {
                        meterTimes.add(new long[]{System.nanoTime()});
                    }
                }
            } catch (IOException ended) {
                // oscdump was stopped.
            }
        });
        reader.setDaemon(true);
        reader.start();
        // oscdump binds its port as it starts; subscribe until frames come.
        long asked = System.nanoTime();
        while (meterTimes.isEmpty()) {
            oscsend(port, "/desk/subscribe", "fi", "25", Integer.toString(dumpPort));
            long wait = System.nanoTime() + 500_000_000L;
            while (meterTimes.isEmpty() && System.nanoTime() < wait) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            assertTrue(System.nanoTime() - asked < 10_000_000_000L, "no feedback came: " + lines);
        }

        oscsend(port, "/desk/strip/Lead%20Vox/fader", "f", "-6");
        oscsend(port, "/desk/strip/Lead%20Vox/mute", "i", "1");
        await(() -> holds(() -> vox.fader() == -6 && vox.mute()), "the fader and the mute arrive");
        await(() -> lines.stream().anyMatch(l -> l.endsWith(" /desk/strip/Lead%20Vox/fader f -6.000000"))
                && lines.stream().anyMatch(l -> l.endsWith(" /desk/strip/Lead%20Vox/mute i 1")),
                "feedback of the fader and the mute: " + lines);

        oscsend(port, "/desk/scene/recall", "s", "verse");
        await(() -> holds(() -> vox.fader() == 0 && !vox.mute()), "the scene is recalled");
        await(() -> lines.stream().anyMatch(l -> l.endsWith(" /desk/strip/Lead%20Vox/fader f 0.000000")),
                "feedback of the recall");

        int start = meterTimes.size();
        long from = meterTimes.get(start - 1)[0];
        await(() -> meterTimes.get(meterTimes.size() - 1)[0] - from >= 2_000_000_000L, "two seconds of meter frames");
        long frames = meterTimes.stream().filter(t -> t[0] > from && t[0] - from <= 2_000_000_000L).count();
        assertTrue(frames >= 40 && frames <= 55, "25 frames a second for 2 s: " + frames);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(" /desk/strip/Lead%20Vox/meter fff -120.000000 -120.000000 -120.000000")),
                "a meter frame of the silent track");
    }
}
