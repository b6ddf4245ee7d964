package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.clip.ClipPlayer;
import desk.engine.clip.ClipReader;
import desk.engine.clip.PlaybackClip;
import desk.engine.io.WavReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Clip playback: checks a track's clips against their files (kept open, one stream per file), gives the
 * track a {@link ClipPlayer} the first time, and has the {@link ClipReader} thread keep it fed. Offline
 * renders have the players read on the render thread instead, so their output never depends on timing.
 * <p>
 * Threads: the control thread, under the engine's lock; the figures on any thread.
 */
final class ClipControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final ClipReader reader = new ClipReader();
    private final List<ClipPlayer> players = new CopyOnWriteArrayList<>();
    private final Map<Path, WavReader.Stream> files = new HashMap<>();
    private boolean readOnRenderThread;

    ClipControl(MixerModel model, CommandWriter writer) {
        this.model = model;
        this.writer = writer;
    }

    void setClips(EngineCommand.SetClips c) {
        StripState entry = model.track(c.trackId());
        if (c.clips() == null) {
            throw new EngineException("clips of track " + c.trackId()
                    + " are missing: give a list, empty for none");
        }
        PlaybackClip[] clips = new PlaybackClip[c.clips().size()];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = PlaybackClip.check(c.clips().get(i), model.sampleRate, entry.id(), entry.node.channels(), files);
        }
        if (readOnRenderThread) {
            openWindows();
        }
        if (entry.player == null) {
            entry.player = new ClipPlayer(entry.node.channels(), 2 * model.sampleRate, model.sampleRate / 10);
            players.add(entry.player);
            reader.add(entry.player);
            if (readOnRenderThread) {
                reader.readOnRenderThread(entry.player);
            }
            writer.setPlayer(entry.node, entry.player);
        }
        writer.setClips(entry.player, clips);
    }

    /** Has every player, and every one made later, read its clips on the render thread (offline renders). */
    void readOnRenderThread() {
        readOnRenderThread = true;
        openWindows();
        for (ClipPlayer player : players) {
            reader.readOnRenderThread(player);
        }
    }

    /** Gives every clip file its window, so that the render thread reads each ahead in large reads of its own. */
    private void openWindows() {
        for (WavReader.Stream stream : files.values()) {
            stream.openWindow();
        }
    }

    /** The frames clip playback had to play as silence, allocating nothing. */
    long framesMissed() {
        long missed = 0;
        for (int i = 0; i < players.size(); i++) {
            missed += players.get(i).framesMissed();
        }
        return missed;
    }

    List<String> problems() {
        return reader.problems();
    }

    int problemCount() {
        return reader.problemCount();
    }

    /** Stops the reader thread and closes the files it read. */
    void close() {
        reader.close();
        for (WavReader.Stream stream : files.values()) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // The file was only read; failing to close it loses nothing.
            }
        }
        files.clear();
    }
}
