package desk.engine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A JVM acting as the REPL for {@link EngineFolderTest}: {@code StandInRepl JACK_SERVER CLIENT_NAME} starts a
 * {@link RemoteEngineLink}, prints {@code engine PID}, then prints each of the link's events as
 * {@code event LINE}, and closes the link and prints {@code closed} when a line {@code close} (or the end of
 * its input) arrives. Threads: its main thread, and the link's own.
 */
final class StandInRepl {
    private StandInRepl() {
    }

    public static void main(String[] args) throws IOException {
        RemoteEngineLink link = RemoteEngineLink.start(args[0], args[1]);
        link.onEvent(event -> System.out.println("event " + event));
        System.out.println("engine " + link.enginePid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("close"); line = in.readLine()) {
            System.out.println("unknown request " + line);
        }
        link.close();
        System.out.println("closed");
    }
}
