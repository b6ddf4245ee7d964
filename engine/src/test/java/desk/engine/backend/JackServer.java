package desk.engine.backend;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A JACK server of a test's own: {@code jackd -d dummy} under a unique server name, started and waited for
 * on construction, stopped on close. Without jackd the test is skipped, except in CI (CI=true), where it
 * fails. Runs JACK's command-line clients against the server. Threads: the test's thread.
 */
public final class JackServer implements AutoCloseable {
    private final String name;
    private final Process server;
    private final Path log;
    private final boolean realTime;
    private final List<Process> clients = new ArrayList<>();
    /**
     * The MTU a netjack2 node here sends with: loopback carries 64 KiB datagrams, so a period of every channel
     * fits one packet and arrives whole or not at all, as it does on a network with jumbo frames.
     */
    private static final int LOOPBACK_MTU = 60_000;
    private boolean netManagerLoaded;
    private int netManagerPort;
    private JackServer master;

    /** Starts {@code jackd -n NAME -d dummy -r RATE -p PERIOD} under a new unique name and waits until it answers. */
    public JackServer(int sampleRate, int period) throws IOException, InterruptedException {
        this("desk-test-" + UUID.randomUUID().toString().substring(0, 8), sampleRate, period);
    }

    /** Starts {@code jackd -n name -d dummy -r RATE -p PERIOD} and waits until it answers. */
    public JackServer(String name, int sampleRate, int period) throws IOException, InterruptedException {
        this(name, sampleRate, period, 0);
    }

    /**
     * Starts {@code jackd --port-max PORTS -n NAME -d dummy -r RATE -p PERIOD} under a new unique name (the
     * server's default limit when {@code portMax} is 0) and waits until it answers.
     */
    public static JackServer withPortMax(int portMax, int sampleRate, int period) throws IOException, InterruptedException {
        return new JackServer("desk-test-" + UUID.randomUUID().toString().substring(0, 8), sampleRate, period, portMax);
    }

    private JackServer(String name, int sampleRate, int period, int portMax) throws IOException, InterruptedException {
        this(name, portMax, false, dummy(sampleRate, period));
    }

    /**
     * Starts {@code jackd -R -n NAME -d dummy -r RATE -p PERIOD} under a new unique name: with real-time
     * scheduling, as JACK runs on a musician's machine, so that the desk's audio thread runs ahead of the
     * machine's other threads. Where the system refuses real-time scheduling, the server runs without it and
     * {@link #realTime()} says so.
     */
    public static JackServer withRealTimeScheduling(int sampleRate, int period) throws IOException, InterruptedException {
        return new JackServer("desk-test-" + UUID.randomUUID().toString().substring(0, 8), 0, true,
                dummy(sampleRate, period));
    }

    private static List<String> dummy(int sampleRate, int period) {
        return List.of("-d", "dummy", "-r", Integer.toString(sampleRate), "-p", Integer.toString(period));
    }

    /**
     * Makes this server a netjack2 master ({@code netmanager} on a free UDP port) and starts a node of it:
     * {@code jackd -n NAME -d net} under a new unique name, joining over loopback as the master's client
     * {@code clientName} with {@code channels} audio channels each way and a network latency of {@code cycles}
     * periods; waits until it answers, which it does once the master has taken it. Closing the node unloads
     * the master first, as a server whose netmanager lost its node hangs on the way out.
     */
    public JackServer netNode(String clientName, int channels, int cycles) throws IOException, InterruptedException {
        requireTools("jack_load", "jack_unload");
        int port;
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
            port = socket.getLocalPort();
        }
        netManagerPort = port;
        loadNetManager();
        JackServer node = new JackServer("desk-test-" + UUID.randomUUID().toString().substring(0, 8), 0, false,
                List.of("-d", "net", "-a", "127.0.0.1", "-p", Integer.toString(port), "-n", clientName,
                        "-C", Integer.toString(channels), "-P", Integer.toString(channels),
                        "-l", Integer.toString(cycles), "-M", Integer.toString(LOOPBACK_MTU)));
        node.master = this;
        return node;
    }

    /** Loads netjack2's master into this server, on the port its nodes know. */
    private void loadNetManager() throws IOException, InterruptedException {
        String said = run("jack_load", "-i", "-p " + netManagerPort, "netmanager");
        Assertions.assertTrue(said.contains("netmanager"), () -> "jack_load netmanager: " + said);
        netManagerLoaded = true;
    }

    /** Unloads netjack2's master from this server, if loaded: its nodes go back to waiting for one. */
    private void unloadNetManager() throws IOException, InterruptedException {
        if (netManagerLoaded) {
            netManagerLoaded = false;
            run("jack_unload", "netmanager");
        }
    }

    private JackServer(String name, int portMax, boolean askRealTime, List<String> driver)
            throws IOException, InterruptedException {
        this.name = name;
        requireTools("jackd", "jack_wait", "jack_lsp");
        log = Files.createTempFile("jackd-", ".log");
        List<String> command = new ArrayList<>(List.of("jackd", askRealTime ? "--realtime" : "--no-realtime", "-n", name));
        if (portMax > 0) {
            command.addAll(List.of("--port-max", Integer.toString(portMax)));
        }
        command.addAll(driver);
        server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process wait = tool("jack_wait", "-w", "-t", "10");
        Assertions.assertTrue(wait.waitFor(15, TimeUnit.SECONDS) && wait.exitValue() == 0,
                () -> "jackd " + name + " did not answer: " + readLog());
        realTime = askRealTime && runsRealTime(server.pid());
    }

    /** Whether a thread of process {@code pid} runs with a real-time policy (SCHED_FIFO or SCHED_RR). */
    private static boolean runsRealTime(long pid) throws IOException {
        List<Path> tasks;
        try (var listing = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks = listing.toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        for (Path task : tasks) {
            String stat;
            try {
                stat = Files.readString(task.resolve("stat"));
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            }
            // The fields after the command's closing parenthesis start at field 3; the policy is field 41.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            int policy = Integer.parseInt(fields[41 - 3]);
            if (policy == 1 || policy == 2) {
                return true;
            }
        }
        return false;
    }

    /** Whether the server's driver thread runs with real-time scheduling (only ever for one started {@link #withRealTimeScheduling}). */
    public boolean realTime() {
        return realTime;
    }

    /** Skips the test when a tool is missing, or fails it in CI, where every tool must be installed. */
    public static void requireTools(String... tools) {
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                String message = tool + " is not installed (./desk test installs the tools the tests need)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(message + "; CI must run the JACK tests");
                }
                Assumptions.abort(message);
            }
        }
    }

    /**
     * The peak level (dBFS) of a sine captured at the server's rate {@code rate}, from the RMS of a steady
     * second a quarter of the way in; fails when the capture is too short for that.
     */
    public static double sinePeakDb(float[] samples, int rate) {
        int from = samples.length / 4;
        int to = from + rate;
        Assertions.assertTrue(to <= samples.length, "captured " + samples.length + " frames");
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return 20 * Math.log10(Math.sqrt(2 * sum / (to - from)));
    }

    /** The server's name. */
    public String name() {
        return name;
    }

    /**
     * A JACK client of the test's own in this JVM, on this server (libjack in this process is aimed at it from
     * now on), not yet active; the caller closes it.
     */
    public org.jaudiolibs.jnajack.JackClient openClient(String clientName) {
        return JackClients.openClient(JackClients.library(name), clientName, name);
    }

    /** Starts a JACK command-line client against this server with extra environment; stopped on close. */
    public Process tool(Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JACK_DEFAULT_SERVER", name);
        builder.environment().putAll(environment);
        Process process = builder.start();
        clients.add(process);
        return process;
    }

    /** Starts a JACK command-line client against this server; stopped on close. */
    public Process tool(String... command) throws IOException {
        return tool(Map.of(), command);
    }

    /**
     * Runs a client to its end and returns what it printed; fails if it has not ended within 60 s (a client
     * the server stopped calling, as it may under load, never ends by itself), after stopping it.
     */
    public String run(String... command) throws IOException, InterruptedException {
        Process process = tool(command);
        FutureTask<byte[]> output = new FutureTask<>(() -> process.getInputStream().readAllBytes());
        Thread.ofPlatform().daemon().name("tool-output").start(output);
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        Assertions.assertTrue(ended, () -> String.join(" ", command) + " hung");
        return new String(outputOf(output));
    }

    /**
     * Freezes the server (SIGSTOP), as if its machine or the network paused: a netjack2 master takes a frozen
     * node's ports away within a couple of seconds.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a frozen server run again (SIGCONT): a netjack2 node joins its master again. */
    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(server.pid())).inheritIO().start();
        Assertions.assertEquals(0, kill.waitFor(), "kill " + signal + " " + server.pid());
    }

    /** Stops the server (as if it crashed: SIGKILL) and waits until it has gone. */
    public void kill() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    /** What jackd printed so far. */
    public String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (master != null) {
            master.unloadNetManager();
        }
        unloadNetManager();
        for (Process client : clients) {
            client.destroy();
        }
        for (Process client : clients) {
            if (!client.waitFor(5, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }

    /** What a finished tool printed (nothing if its output could not be read). */
    private static byte[] outputOf(FutureTask<byte[]> output) throws InterruptedException {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new byte[0];
        }
    }
}
