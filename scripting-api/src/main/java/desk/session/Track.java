package desk.session;

import desk.engine.EngineCommand;
import desk.engine.MonitorMode;
import desk.engine.NodeIds;
import desk.engine.io.AudioFileInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A track: mono, stereo or up to 8 channels, fed by inputs (capture ports, generators or files) and mixed
 * through its strip into a bus or the master. Armed, it records its input when the session records; its
 * monitoring mode decides when it hears its live input (see {@link MonitorMode}).
 * <p>
 * Threads: the session's control thread.
 */
public final class Track extends Strip {
    private final Object[] inputs;
    private boolean armed;
    private MonitorMode monitoring = MonitorMode.INPUT;
    private final List<Clip> clips = new ArrayList<>();
    /** What a frozen track plays instead of its inputs, clips and inserts; null while it is live. */
    private Frozen frozen;

    /** A frozen track's file (its signal before the fader, from timeline sample 0) and its length in frames. */
    record Frozen(Path file, long frames) {
    }

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
        refuseFrozen(name() + ".input");
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
            Source own = session.own(source, name() + ".input");
            for (int c = 0; c < channels(); c++) {
                perChannel.add(own.channel(c + 1));
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
                session.ports().connectInput(this, c, null);
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
        int capture = session.ports().connectInput(this, channel, port);
        session.execute(capture == NodeIds.NO_NODE ? new EngineCommand.SetInput(id, channel, NodeIds.NO_NODE, 0)
                : new EngineCommand.SetInput(id, channel, NodeIds.CAPTURE_ID, capture));
    }

    /** Forgets what fed channel {@code channel}: nothing does now. */
    void forgetInput(int channel) {
        inputs[channel] = null;
    }

    /** The node the track runs on, or null for the main engine. */
    public String on() {
        return session.nodeName();
    }

    /**
     * Moves the track to node {@code node} (null: the main engine), while the transport is stopped; see
     * {@link TrackMove}. Returns the track where it now runs, which this object follows from then on.
     */
    public Track on(String node) {
        checkLive();
        return TrackMove.move(this, node);
    }


    /** Whether the track is armed to record. */
    public boolean armed() {
        return armed;
    }

    /**
     * Arms the track (it records when the session records) or disarms it; with {@code session.exclusiveArm}
     * arming it disarms the others. A track without an input cannot be armed.
     */
    public void armed(boolean on) {
        checkLive();
        if (on) {
            refuseFrozen(name() + ".armed");
        }
        if (on && java.util.Arrays.stream(inputs).allMatch(java.util.Objects::isNull)) {
            throw new DeskException(name() + ".armed: " + name() + " has no input to record: set " + name()
                    + ".input first");
        }
        session.recorder().arm(this, on);
    }

    void armedBySession(boolean on) {
        if (on != armed) {
            session.execute(new EngineCommand.SetArmed(id, on));
            armed = on;
        }
    }

    /** The monitoring mode: "input" (the default), "auto" or "off". */
    public String monitoring() {
        return monitoring.scriptName();
    }

    /** Sets the monitoring mode: "input", "auto" or "off" (see {@link MonitorMode}). */
    public void monitoring(String mode) {
        checkLive();
        MonitorMode parsed = MonitorMode.ofScriptName(mode);
        if (parsed == null) {
            throw new DeskException(name() + ".monitoring " + Session.describe(mode)
                    + ": must be " + Choices.either(Choices.monitoringModes(), true));
        }
        if (parsed != monitoring) {
            refuseFrozen(name() + ".monitoring");
        }
        session.execute(new EngineCommand.SetMonitoring(id, parsed));
        monitoring = parsed;
    }

    /** The clips on the track, in the order they were placed. */
    public List<Clip> clips() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(clips));
    }

    /**
     * Places a clip: {@code length} frames of {@code file} from frame {@code offset} (null: to the end of
     * the file), from timeline sample {@code position}, at {@code gainDb} with fades of {@code fadeIn} and
     * {@code fadeOut} frames. {@code name} is how the session shows the file. The file is only read. A file
     * whose data chunk is cut short is refused unless {@code allowTruncated}; then the clip plays the frames
     * that are there, and a notice says so.
     */
    public Clip clip(Path file, String name, boolean allowTruncated, long offset, Long length, long position,
                     double gainDb, long fadeIn, long fadeOut) {
        checkLive();
        String label = name() + ".clip";
        refuseFrozen(label);
        AudioFileInfo info = AudioFiles.probe(file, label, allowTruncated);
        long frames = length != null ? length : info.frames() - offset;
        Clip clip = new Clip(this, file, name, allowTruncated, offset, frames, position, gainDb, fadeIn, fadeOut);
        List<EngineCommand.Clip> next = new ArrayList<>(commands());
        next.add(clip.command());
        send(next, label);
        clips.add(clip);
        session.noticeIfTruncated(label, file, info);
        return clip;
    }

    void replaceClip(Clip clip, EngineCommand.Clip changed, String label) {
        checkLive();
        refuseFrozen(label);
        List<EngineCommand.Clip> next = new ArrayList<>();
        for (Clip other : clips) {
            next.add(other == clip ? changed : other.command());
        }
        send(next, label);
    }

    void removeClip(Clip clip) {
        refuseFrozen(name() + " clip " + clip.name() + ".remove");
        List<EngineCommand.Clip> next = new ArrayList<>();
        for (Clip other : clips) {
            if (other != clip) {
                next.add(other.command());
            }
        }
        send(next, name() + " clip " + clip.name() + ".remove");
        clips.remove(clip);
    }

    private List<EngineCommand.Clip> commands() {
        return clips.stream().map(Clip::command).toList();
    }

    private void send(List<EngineCommand.Clip> next, String label) {
        try {
            session.execute(new EngineCommand.SetClips(id, next));
        } catch (DeskException e) {
            throw new DeskException(label + ": " + e.getMessage());
        }
    }

    /** The takes recorded on this track, found in the session folder. */
    public List<Take> takes() {
        return session.recorder().takes(this);
    }

    private Object resolve(Object item, int channel) {
        if (item == null) {
            return null;
        }
        if (item instanceof String port) {
            session.ports().checkInputPort(port);
            return port;
        }
        if (item instanceof Source given) {
            Source source = session.own(given, name() + ".input");
            if (source.channels() != 1) {
                throw new DeskException(name() + ".input: " + source + " has " + source.channels()
                        + " channels: pick one with source.channel(n)");
            }
            return source.channel(channel + 1);
        }
        if (item instanceof Source.SourceChannel sourceChannel) {
            return session.own(sourceChannel.source(), name() + ".input").channel(sourceChannel.index() + 1);
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
        return "Track " + name() + " (" + StripText.width(channels()) + ") in=" + in + (armed ? " armed" : "")
                + (monitoring == MonitorMode.INPUT ? "" : " monitoring=" + monitoring.scriptName()) + " " + StripText.settings(this);
    }

    /** As {@link Strip#replaySettings}, then the track's inputs, arming, monitoring and clips. */
    @Override
    void replaySettings() {
        super.replaySettings();
        for (int c = 0; c < channels(); c++) {
            if (inputs[c] instanceof Source.SourceChannel channel) {
                session.execute(new EngineCommand.SetInput(id, c, channel.source().id(), channel.index()));
            } else {
                readPort(c, (String) inputs[c]);
            }
        }
        if (armed) {
            session.execute(new EngineCommand.SetArmed(id, true));
        }
        if (monitoring != MonitorMode.INPUT) {
            session.execute(new EngineCommand.SetMonitoring(id, monitoring));
        }
        if (!clips.isEmpty()) {
            session.execute(new EngineCommand.SetClips(id, commands()));
        }
        if (frozen != null) {
            playFrozen();
        }
    }

    /** Whether the track is frozen: it plays its frozen file instead of its inputs, clips and inserts. */
    public boolean frozen() {
        return frozen != null;
    }

    /** The file a frozen track plays, or null while it is live. */
    public Path frozenFile() {
        return frozen == null ? null : frozen.file();
    }

    /** How long a frozen track's file is, frames (0 while it is live). */
    long frozenFrames() {
        return frozen == null ? 0 : frozen.frames();
    }

    /**
     * Freezes the track to {@code file}, its signal before the fader from timeline sample 0 ({@code frames} long,
     * its inserts' latency taken out, see {@link Bounce#freeze}): the engine plays that file as the track's only
     * clip, with the trim at 0 dB, no polarity inverted, no input and every insert bypassed (so nothing moves in
     * time and only inserts with latency still run); the track's own settings stay as they are, for unfreezing.
     */
    void freezeTo(Path file, long frames) {
        checkLive();
        frozen = new Frozen(file, frames);
        playFrozen();
        session.edited();
    }

    /** Makes a frozen track live again: its inputs, clips, trim, polarity and inserts as they are set. */
    public void unfreeze() {
        checkLive();
        if (frozen == null) {
            throw new DeskException(name() + ".unfreeze: " + name() + " is not frozen");
        }
        frozen = null;
        for (int c = 0; c < channels(); c++) {
            if (inputs[c] instanceof Source.SourceChannel channel) {
                session.execute(new EngineCommand.SetInput(id, c, channel.source().id(), channel.index()));
            } else {
                readPort(c, (String) inputs[c]);
            }
        }
        session.execute(new EngineCommand.SetMonitoring(id, monitoring));
        session.execute(new EngineCommand.SetClips(id, commands()));
        playLive();
        session.edited();
    }

    /** Sends the engine what a frozen track plays. */
    private void playFrozen() {
        for (int c = 0; c < channels(); c++) {
            session.execute(new EngineCommand.SetInput(id, c, NodeIds.NO_NODE, 0));
        }
        session.execute(new EngineCommand.SetMonitoring(id, MonitorMode.OFF));
        session.execute(new EngineCommand.SetClips(id, List.of(new EngineCommand.Clip(frozen.file(), 0,
                frozen.frames(), 0, 0, 0, 0, false))));
        playFrozenStrip();
    }

    /** Refuses {@code action} on a frozen track, in one line saying to unfreeze it. */
    @Override
    void refuseFrozen(String action) {
        if (frozen != null) {
            throw new DeskException(action + ": " + name() + " is frozen: " + name() + ".unfreeze() first");
        }
    }
}
