package desk.engine;

import desk.engine.record.Take;

import java.util.List;

/**
 * What the recorder has done: whether a take is recording (or its files are still being closed), every
 * file of the takes finished since the engine started, and every problem reported, in order. Immutable;
 * any thread.
 */
public record RecorderState(boolean recording, List<Take.Result> finished, List<String> problems) {
    /** A state with copies of the lists. */
    public RecorderState {
        finished = List.copyOf(finished);
        problems = List.copyOf(problems);
    }
}
