package desk.engine;

import desk.engine.record.Take;

import java.util.List;

/**
 * What the engine's disk side has done: whether a take is recording (or its files are still being closed),
 * every file of the takes finished since the engine started, every problem of recording and clip playback
 * reported, in order, and how many frames clip playback had to play as silence because its disk reader
 * was not there yet. Immutable; any thread.
 */
public record DiskState(boolean recording, List<Take.Result> finished, List<String> problems,
                        long playbackFramesMissed) {
    /** A state with copies of the lists. */
    public DiskState {
        finished = List.copyOf(finished);
        problems = List.copyOf(problems);
    }
}
