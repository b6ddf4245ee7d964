package desk.engine.server;

import desk.engine.AudioInterface;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.backend.JackBackend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the link knows of the engine process's JACK ports, kept so it can answer while no process does: the
 * input port places each track holds and the output port places each direct out holds (chosen as the
 * backend chooses them: the first free ones), and the names of the buses' output ports with what each feeds.
 * <p>
 * Threads: the link's control methods, serialised by the link.
 */
final class PortMirror {
    private final boolean[] inputsUsed = new boolean[Limits.MAX_CAPTURE_PORTS];
    private final Map<Integer, int[]> trackSlots = new HashMap<>();
    private final boolean[] outputsUsed = new boolean[JackBackend.MAX_OUTPUT_PORTS];
    private final Map<Integer, int[]> busSlots = new HashMap<>();
    private final Map<Integer, List<String>> busPorts = new HashMap<>();
    private final Map<Integer, List<List<String>>> connections = new HashMap<>();

    /** Refuses a track of {@code channels} channels when there are not that many input ports free. */
    void checkTrackRoom(String name, int channels) {
        if (free(inputsUsed) < channels) {
            throw new EngineException("track " + name + ": no room for " + channels + " more input port"
                    + (channels == 1 ? "" : "s") + " (at most " + Limits.MAX_CAPTURE_PORTS + " in all)");
        }
    }

    /** Gives track {@code trackId} the first {@code channels} free input port places. */
    void addTrack(int trackId, int channels) {
        trackSlots.put(trackId, take(inputsUsed, channels));
    }

    /** Frees the input port places of track {@code trackId}. */
    void removeTrack(int trackId) {
        release(inputsUsed, trackSlots.remove(trackId));
    }

    /** The input port place (the capture channel) of channel {@code channel} of track {@code trackId}. */
    int inputSlot(int trackId, int channel) {
        int[] slots = trackSlots.get(trackId);
        if (slots == null || channel < 0 || channel >= slots.length) {
            throw new EngineException("track " + trackId + " has no JACK port for channel " + (channel + 1));
        }
        return slots[channel];
    }

    /** Refuses a direct out for a bus that has one, or when there are not {@code channels} output ports free. */
    void checkDirectOutRoom(int busId, String name, int channels) {
        if (busSlots.containsKey(busId)) {
            throw new EngineException("bus " + name + " has a direct out already");
        }
        if (free(outputsUsed) < channels) {
            throw new EngineException("bus " + name + ": no room for " + channels + " more output port"
                    + (channels == 1 ? "" : "s") + " (at most " + JackBackend.MAX_OUTPUT_PORTS + " in all)");
        }
    }

    /** Gives bus {@code busId} the first {@code channels} free output port places; the playback channels they carry. */
    int[] addDirectOut(int busId, int channels) {
        int[] slots = take(outputsUsed, channels);
        busSlots.put(busId, slots);
        List<List<String>> none = new ArrayList<>();
        int[] playbackChannels = new int[channels];
        for (int c = 0; c < channels; c++) {
            none.add(List.of());
            playbackChannels[c] = Limits.FIRST_DIRECT_OUT + slots[c];
        }
        connections.put(busId, List.copyOf(none));
        return playbackChannels;
    }

    /** Frees the output port places of bus {@code busId}'s direct out and forgets its ports. */
    void removeDirectOut(int busId) {
        release(outputsUsed, busSlots.remove(busId));
        busPorts.remove(busId);
        connections.remove(busId);
    }

    /** Whether bus {@code busId} has output ports: the master always, a bus with a direct out. */
    boolean hasPorts(int busId) {
        return busId == NodeIds.MASTER_ID || busSlots.containsKey(busId);
    }

    /** The names of bus {@code busId}'s output ports as last known (empty if none are). */
    List<String> busPorts(int busId) {
        return busPorts.getOrDefault(busId, List.of());
    }

    void busPorts(int busId, List<String> names) {
        busPorts.put(busId, names);
    }

    /** What each output port of bus {@code busId} feeds, as last known, or null if it has no ports. */
    List<List<String>> connections(int busId) {
        return connections.get(busId);
    }

    void connections(int busId, List<List<String>> fed) {
        connections.put(busId, fed);
    }

    /** Follows a connection made ({@code connected}) or undone (from every port when {@code port} is null). */
    void remember(int busId, int channel, String port, boolean connected) {
        List<List<String>> known = connections.get(busId);
        if (known == null || channel < 0 || channel >= known.size()) {
            return;
        }
        List<String> fed = new ArrayList<>(known.get(channel));
        if (connected && !fed.contains(port)) {
            fed.add(port);
        } else if (!connected) {
            fed.removeIf(name -> port == null || port.equals(name));
        }
        List<List<String>> next = new ArrayList<>(known);
        next.set(channel, List.copyOf(fed));
        connections.put(busId, List.copyOf(next));
    }

    /**
     * Forgets every port, for a fresh engine process that has none yet but the master's, and returns what the
     * output ports fed until now, by bus.
     */
    Map<Integer, List<List<String>>> forget() {
        Map<Integer, List<List<String>>> before = new HashMap<>(connections);
        Arrays.fill(inputsUsed, false);
        Arrays.fill(outputsUsed, false);
        trackSlots.clear();
        busSlots.clear();
        busPorts.clear();
        connections.keySet().removeIf(bus -> bus != NodeIds.MASTER_ID);
        return before;
    }

    /**
     * Connects the output ports of the master and the direct outs of {@code link} as {@code before} (what
     * {@link #forget} returned) had them, adding each refusal to {@code refusals}.
     */
    void restore(Map<Integer, List<List<String>>> before, AudioInterface link, List<String> refusals) {
        for (Map.Entry<Integer, List<List<String>>> bus : before.entrySet()) {
            int busId = bus.getKey();
            if (!hasPorts(busId)) {
                continue;
            }
            List<List<String>> wanted = bus.getValue();
            List<List<String>> now = link.connections(busId);
            for (int channel = 0; channel < wanted.size() && channel < now.size(); channel++) {
                if (now.get(channel).equals(wanted.get(channel))) {
                    continue;
                }
                try {
                    link.disconnectOutput(busId, channel, null);
                    for (String port : wanted.get(channel)) {
                        link.connectOutput(busId, channel, port);
                    }
                } catch (EngineException e) {
                    refusals.add(e.getMessage());
                }
            }
        }
    }

    private static int free(boolean[] used) {
        int free = 0;
        for (boolean taken : used) {
            free += taken ? 0 : 1;
        }
        return free;
    }

    private static int[] take(boolean[] used, int count) {
        int[] slots = new int[count];
        int made = 0;
        for (int p = 0; p < used.length && made < count; p++) {
            if (!used[p]) {
                used[p] = true;
                slots[made++] = p;
            }
        }
        return slots;
    }

    private static void release(boolean[] used, int[] slots) {
        if (slots != null) {
            for (int slot : slots) {
                used[slot] = false;
            }
        }
    }
}
