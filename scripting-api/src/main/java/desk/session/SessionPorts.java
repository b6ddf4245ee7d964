package desk.session;

import desk.engine.AudioInterface;
import desk.engine.EngineCommand;
import desk.engine.EngineException;

import java.util.List;

/**
 * The session's side of the audio interface: the ports of tracks and buses, their connections, and the checks
 * of port names, each refusal of the interface turned into a {@link DeskException}.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionPorts {
    private final Session session;
    private final AudioInterface audio;

    SessionPorts(Session session, AudioInterface audio) {
        this.session = session;
        this.audio = audio;
    }

    /** Refuses a port name tracks cannot take input from. */
    void checkInputPort(String name) {
        try {
            audio.checkInput(name);
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
    }

    /** Connects channel {@code channel} of a track to {@code port} (null: none); the capture channel it reads. */
    int connectInput(Track track, int channel, String port) {
        try {
            return audio.connectInput(track.id, channel, port);
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
    }

    /** Gives a bus a direct out: its ports, then the engine's path onto the playback channels they carry. */
    void addDirectOut(Bus bus) {
        int[] channels = ofInterface(() -> audio.addDirectOut(bus.id, bus.name(), bus.channels()));
        if (channels.length == 0) {
            return;
        }
        try {
            session.execute(new EngineCommand.SetDirectOut(bus.id, channels));
        } catch (DeskException e) {
            onInterface(() -> audio.removeDirectOut(bus.id));
            throw e;
        }
    }

    /** Turns a bus's direct out off in the engine (it fades out), then removes its ports. */
    void removeDirectOut(Bus bus) {
        session.execute(new EngineCommand.SetDirectOut(bus.id, null));
        onInterface(() -> audio.removeDirectOut(bus.id));
    }

    List<String> busPorts(Bus bus) {
        return ofInterface(() -> audio.busPorts(bus.id));
    }

    List<List<String>> connections(Bus bus) {
        return ofInterface(() -> audio.connections(bus.id));
    }

    /** As {@link #connections(Bus)}, as last known, without asking the engine process. */
    List<List<String>> knownConnections(Bus bus) {
        return ofInterface(() -> audio.knownConnections(bus.id));
    }

    /** Refuses a port name the master and buses cannot feed, after {@code label}. */
    void checkOutputPort(String name, String label) {
        try {
            audio.checkOutput(name);
        } catch (EngineException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
    }

    void connectOutput(Bus bus, int channel, String port) {
        onInterface(() -> audio.connectOutput(bus.id, channel, port));
    }

    void disconnectOutput(Bus bus, int channel, String port) {
        onInterface(() -> audio.disconnectOutput(bus.id, channel, port));
    }

    /** What a call to the audio interface gives; its refusal as a DeskException. */
    static <T> T ofInterface(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
    }

    /** Makes a change through the audio interface; its refusal as a DeskException. */
    static void onInterface(Runnable change) {
        try {
            change.run();
        } catch (EngineException e) {
            throw new DeskException(e.getMessage());
        }
    }
}
