package desk.session;

import desk.engine.LoopRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a finished take goes as a clip on its track, and what is said of a take that kept its place on the
 * timeline through leaps of its engine's transport.
 * <p>
 * Threads: the session's control thread.
 */
final class TakeClips {
    private TakeClips() {
    }

    /**
     * The part of a take to place as its clip, as {offset, length, timeline position} in samples: the whole
     * file, or, when the transport went round {@code loop} while it recorded, the last complete pass. The
     * first pass runs from the start of the file to the loop end; each later pass is one loop length of the
     * file and lands at the loop start, earlier by the round-trip latency like the rest of the take.
     */
    static long[] lastPass(desk.engine.record.Take.Result take, LoopRange loop) {
        if (loop == null || take.captured() >= loop.end() || take.frames() <= loop.end() - take.captured()) {
            return new long[] {0, take.frames(), take.position()};
        }
        long first = loop.end() - take.captured();
        long passes = (take.frames() - first) / loop.length();
        if (passes == 0) {
            return new long[] {0, first, take.position()};
        }
        long latency = take.captured() - take.position();
        long offset = first + (passes - 1) * loop.length();
        long length = loop.length();
        long position = loop.start() - latency;
        if (position < 0) {
            offset -= position;
            length += position;
            position = 0;
        }
        return new long[] {offset, length, position};
    }

    /**
     * What a take kept on the timeline through leaps of its engine's transport: "node stage2: Gtr's take
     * takes/Gtr-001.wav holds 1536 samples (32.0 ms) of silence where the network lost periods".
     */
    static String leapNotice(Session session, Track track, desk.engine.record.Take.Result take) {
        boolean node = session.mainSession() != session;
        List<String> parts = new ArrayList<>();
        if (take.filled() > 0) {
            parts.add("holds " + samples(session, take.filled()) + " of silence where "
                    + (node ? "the network lost periods" : "the transport leapt ahead"));
        }
        if (take.leftOut() > 0) {
            parts.add("left out " + samples(session, take.leftOut())
                    + " captured again after the transport leapt back");
        }
        return (node ? session.engineName() + ": " : "") + track.name() + "'s take " + Recorder.TAKES + "/"
                + take.file().getFileName() + " " + String.join(" and ", parts);
    }

    /** "1536 samples (32.0 ms)". */
    private static String samples(Session session, long frames) {
        return frames + " samples (" + String.format(Locale.ROOT, "%.1f", frames * 1000.0 / session.sampleRate())
                + " ms)";
    }
}
