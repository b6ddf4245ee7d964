package desk.session;

import desk.engine.Engine;
import desk.engine.EngineCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * A track: mono, stereo or up to 8 channels, fed by inputs (capture ports, generators or files) and mixed
 * through its strip into a bus or the master.
 * <p>
 * Threads: the session's control thread.
 */
public final class Track extends Strip {
    private final Object[] inputs;

    Track(Session session, int id, String name, int channels, Bus output) {
        super(session, id, name, channels, output);
        inputs = new Object[channels];
    }

    /** What feeds each channel: a port name, a {@link Source.SourceChannel}, or null. */
    public List<Object> input() {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(inputs.clone()));
    }

    /**
     * Feeds the track from {@code input}: a capture port name ("system:capture_1"), a {@link Source} or one
     * of its channels, null for nothing, or a list with one of those per channel. A single mono input
     * feeds every channel; a source with as many channels as the track feeds them one to one.
     */
    public void input(Object input) {
        checkLive();
        List<Object> perChannel = new ArrayList<>();
        if (input instanceof List<?> list) {
            if (list.size() != channels()) {
                throw new DeskException(name() + ".input needs " + channels() + " entr" + (channels() == 1 ? "y" : "ies")
                        + " (one per channel), got " + list.size());
            }
            for (Object item : list) {
                perChannel.add(resolve(item, 0));
            }
        } else if (input instanceof Source source && source.channels() > 1) {
            if (source.channels() != channels()) {
                throw new DeskException(name() + ".input: " + source + " has " + source.channels() + " channels and "
                        + name() + " has " + channels() + ": pass one channel per track channel, e.g. source.channel(1)");
            }
            for (int c = 0; c < channels(); c++) {
                perChannel.add(source.channel(c + 1));
            }
        } else {
            Object resolved = resolve(input, 0);
            for (int c = 0; c < channels(); c++) {
                perChannel.add(resolved);
            }
        }
        for (int c = 0; c < channels(); c++) {
            Object item = perChannel.get(c);
            if (item instanceof Source.SourceChannel channel) {
                session.connectInput(this, c, null);
                session.execute(new EngineCommand.SetInput(id, c, channel.source().id(), channel.index()));
            } else {
                readPort(c, (String) item);
            }
        }
        for (int c = 0; c < channels(); c++) {
            inputs[c] = perChannel.get(c);
        }
    }

    /**
     * Feeds channel {@code channel} from {@code port} (null: no port), as the interface has it: on JACK the
     * track reads its own input port, connected to {@code port}; on the built-in backends it reads the
     * capture port itself.
     */
    void readPort(int channel, String port) {
        int capture = session.connectInput(this, channel, port);
        session.execute(capture == Engine.NO_NODE ? new EngineCommand.SetInput(id, channel, Engine.NO_NODE, 0)
                : new EngineCommand.SetInput(id, channel, Engine.CAPTURE_ID, capture));
    }

    private Object resolve(Object item, int channel) {
        if (item == null) {
            return null;
        }
        if (item instanceof String port) {
            session.checkInputPort(port);
            return port;
        }
        if (item instanceof Source source) {
            session.checkOwn(source, name() + ".input");
            if (source.channels() != 1) {
                throw new DeskException(name() + ".input: " + source + " has " + source.channels()
                        + " channels: pick one with source.channel(n)");
            }
            return source.channel(channel + 1);
        }
        if (item instanceof Source.SourceChannel sourceChannel) {
            session.checkOwn(sourceChannel.source(), name() + ".input");
            return sourceChannel;
        }
        throw new DeskException(name() + ".input " + item + ": must be a port name such as \"system:capture_1\","
                + " a generator or file source, or null");
    }

    @Override
    public String toString() {
        StringBuilder in = new StringBuilder();
        if (inputs.length == 1 || java.util.Arrays.stream(inputs).distinct().count() == 1) {
            in.append(inputs[0] == null ? "none" : inputs[0]);
        } else {
            in.append('[');
            for (int c = 0; c < inputs.length; c++) {
                in.append(c == 0 ? "" : ", ").append(inputs[c] == null ? "none" : inputs[c]);
            }
            in.append(']');
        }
        return "Track " + name() + " (" + width() + ") in=" + in + " " + settings();
    }
}
