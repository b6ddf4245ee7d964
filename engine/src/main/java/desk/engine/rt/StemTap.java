package desk.engine.rt;

import desk.engine.Limits;
import desk.engine.RealTime;

import java.util.Arrays;

/**
 * What one path (a strip's output) adds to its destination in the span just run, kept apart for a stem: the
 * path mixes the span a second time, with the same gains, into this tap's buffers.
 * <p>
 * Threads: built on the control thread; {@code rt} methods on the audio thread (or the offline render's).
 */
final class StemTap {
    private final Connection connection;
    private final float[][] span;
    private boolean mixed;

    StemTap(Connection connection) {
        this.connection = connection;
        this.span = new float[connection.destination().channels()][Limits.MAX_BLOCK];
    }

    /** Has the path mix into this tap too, from the next span on. */
    @RealTime
    void rtAttach() {
        connection.rtSetTap(this);
    }

    /** Has the path stop mixing into this tap. */
    @RealTime
    void rtDetach() {
        connection.rtSetTap(null);
    }

    int channels() {
        return span.length;
    }

    /** Clears the first {@code length} samples the path mixes into, and returns the buffers. */
    @RealTime
    float[][] rtStart(int length) {
        for (float[] channel : span) {
            Arrays.fill(channel, 0, length, 0f);
        }
        mixed = true;
        return span;
    }

    /** Copies the span just run into {@code into} from {@code offset} (silence if the path did not run), and forgets it. */
    @RealTime
    void rtTake(float[][] into, int offset, int length) {
        for (int c = 0; c < span.length; c++) {
            if (mixed) {
                System.arraycopy(span[c], 0, into[c], offset, length);
            } else {
                Arrays.fill(into[c], offset, offset + length, 0f);
            }
        }
        mixed = false;
    }
}
