package desk.engine.clip;

import desk.engine.Limits;
import desk.engine.LoopRange;
import desk.engine.RealTime;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A track's clip playback: the disk reader thread renders the track's clips, gain and fades applied, into
 * a ring of read-ahead from a timeline position the audio thread asks for; the audio thread plays from the
 * ring while the transport rolls and the ring is at the transport position. It never waits for the disk
 * live: when the ring is not there (after a locate, a start elsewhere or an edit of the clips) it asks for
 * the position a little ahead, plays silence until the transport gets there and counts the frames it
 * could not play. An offline render reads the clips on its own thread instead ({@link #readOnRenderThread}),
 * block by block straight into the output (through each file's window of read-ahead), so its output never
 * depends on timing and no frame goes between threads.
 * <p>
 * The ring is single-producer (the reader) single-consumer (the audio thread). A request carries a
 * generation, the position and the clips to play; the reader answers it with a start marker (the ring
 * index where that generation's frames begin), and the audio thread skips whatever the ring held before.
 * <p>
 * A request also carries the transport's loop range: the reader then renders the timeline in the order the
 * transport plays it, from the loop end straight on at the loop start, so playback goes round the loop
 * without a gap. Changing the loop range asks for the ring again.
 * <p>
 * Threads: built and switched to reading on the render thread on the control thread; {@code rt} methods on the
 * audio thread; the reader's methods on the disk reader thread; {@link #framesMissed()} on any thread.
 */
public final class ClipPlayer {
    private final int channels;
    private final int capacity;
    private final int lookahead;
    private final float[] ring;
    private final float[][] out;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    private final AtomicLong wantedGeneration = new AtomicLong();
    private long wantedPosition;
    private LoopRange wantedLoop;
    private PlaybackClip[] wantedClips = new PlaybackClip[0];

    private final AtomicLong startGeneration = new AtomicLong();
    private long startIndex;
    private long startPosition;

    private final AtomicLong missed = new AtomicLong();

    private volatile ClipReader renderThreadReader;
    private float[][][] renderThreadDecode;

    private PlaybackClip[] rtClips = new PlaybackClip[0];
    private long rtRequested;
    private long rtSynced;
    private long rtRequestedPosition = -1;
    private long rtPosition = -1;
    private LoopRange rtLoop;

    private long readerGeneration;
    private long readerPosition;
    private LoopRange readerLoop;
    private PlaybackClip[] readerClips = new PlaybackClip[0];

    /** A player for a track of {@code channels} channels with {@code capacity} frames of read-ahead. */
    public ClipPlayer(int channels, int capacity, int lookahead) {
        this.channels = channels;
        this.capacity = capacity;
        this.lookahead = lookahead;
        this.ring = new float[capacity * channels];
        this.out = new float[channels][Limits.MAX_BLOCK];
    }

    /** Frames the audio thread had to play as silence because the disk was not there yet. */
    public long framesMissed() {
        return missed.get();
    }

    /**
     * Makes the thread that renders the player read its clips itself from now on, decoding a fade through
     * {@code decode} (see {@link ClipReader.Buffers#decodeArrays}), and report failures to {@code reader}: for
     * offline renders, whose thread may take its time. Once is enough: a player asked again keeps the arrays it
     * was given. Control thread, through {@link ClipReader#readOnRenderThread}.
     */
    void readOnRenderThread(ClipReader reader, float[][][] decode) {
        if (renderThreadReader != null) {
            return;
        }
        renderThreadDecode = decode;
        renderThreadReader = reader;
    }

    // ------------------------------------------------------------------ audio side

    /** Installs a new list of clips; the ring is asked for again from where the transport is. */
    @RealTime
    public void rtSetClips(PlaybackClip[] clips) {
        rtClips = clips;
        rtPosition = -1;
        rtRequestedPosition = -1;
    }

    /**
     * Renders the clips over the span of {@code length} frames at transport position {@code position}
     * into {@link #rtOut()}: silence when stopped, without clips or while the disk is not there. The
     * transport goes round {@code loop} (null: none), and the span does not cross its end.
     */
    @RealTime
    public void rtRender(boolean rolling, long position, int length, LoopRange loop) {
        if (!rolling || rtClips.length == 0) {
            rtSilence(0, length);
            return;
        }
        ClipReader reader = renderThreadReader;
        if (reader != null) {
            readSpan(position, length, reader);
            return;
        }
        if (loop != rtLoop) {
            rtLoop = loop;
            rtPosition = -1;
            rtRequestedPosition = -1;
        }
        rtSync();
        boolean answered = rtSynced == rtRequested;
        if (!answered || rtPosition != position) {
            long reach = length + lookahead;
            boolean ahead = answered && rtPosition >= 0 && within(rtAhead(position, rtPosition), reach);
            boolean pending = !answered && rtRequestedPosition >= 0
                    && within(rtAhead(position, rtRequestedPosition), reach);
            if (!ahead && !pending) {
                rtRequest(loop == null ? position + lookahead : loop.advance(position, lookahead));
            }
        }
        long distance = rtPosition < 0 ? -1 : rtAhead(position, rtPosition);
        boolean ready = distance >= 0 && distance <= length
                && read.get() + (length - distance) <= written.get();
        if (!ready) {
            rtSilence(0, length);
            missed.setRelease(missed.getPlain() + length);
            return;
        }
        int offset = (int) distance;
        rtSilence(0, offset);
        if (offset > 0) {
            missed.setRelease(missed.getPlain() + offset);
        }
        rtReadInto(offset, length - offset);
    }

    /** Frames the transport rolls from {@code position} to {@code target} round the loop; -1 if never. */
    @RealTime
    private long rtAhead(long position, long target) {
        if (rtLoop == null) {
            return target >= position ? target - position : -1;
        }
        return rtLoop.distance(position, target);
    }

    @RealTime
    private static boolean within(long distance, long reach) {
        return distance >= 0 && distance < reach;
    }

    /** The span rendered by {@link #rtRender}, one array per channel. */
    @RealTime
    public float[][] rtOut() {
        return out;
    }

    @RealTime
    private void rtSync() {
        long generation = startGeneration.getAcquire();
        if (generation == rtRequested && rtSynced != generation) {
            read.setRelease(startIndex);
            rtPosition = startPosition;
            rtSynced = generation;
        }
    }

    @RealTime
    private void rtRequest(long position) {
        wantedPosition = position;
        wantedLoop = rtLoop;
        wantedClips = rtClips;
        rtRequested = rtRequested + 1;
        rtRequestedPosition = position;
        wantedGeneration.setRelease(rtRequested);
    }

    @RealTime
    private void rtReadInto(int offset, int frames) {
        long r = read.getPlain();
        int start = (int) (r % capacity);
        int first = Math.min(frames, capacity - start);
        rtDeinterleave(start, offset, first);
        rtDeinterleave(0, offset + first, frames - first);
        read.setRelease(r + frames);
        rtPosition = rtLoop == null ? rtPosition + frames : rtLoop.advance(rtPosition, frames);
    }

    /** Copies {@code frames} frames of the ring from frame {@code from} (not wrapping) to the output from {@code to}. */
    @RealTime
    private void rtDeinterleave(int from, int to, int frames) {
        for (int c = 0; c < channels; c++) {
            float[] channel = out[c];
            for (int i = 0, index = from * channels + c; i < frames; i++, index += channels) {
                channel[to + i] = ring[index];
            }
        }
    }

    @RealTime
    private void rtSilence(int from, int to) {
        for (float[] channel : out) {
            Arrays.fill(channel, from, to, 0f);
        }
    }

    /**
     * Reads the span of the timeline from {@code position} into the output on the render thread, the clips'
     * gains and fades applied; a clip that cannot be read is left out (silence) and its failure reported to
     * {@code reader}. Only offline renders read here ({@link #readOnRenderThread}), through the files' windows:
     * a live audio thread never does.
     */
    private void readSpan(long position, int length, ClipReader reader) {
        rtSilence(0, length);
        float[][][] decode = renderThreadDecode;
        for (PlaybackClip clip : rtClips) {
            try {
                clip.mixInto(position, length, out, channels, decode[clip.fileChannels()], null);
            } catch (java.io.IOException | RuntimeException e) {
                reader.report(e);
            }
        }
    }

    // ------------------------------------------------------------------ disk reader side

    /**
     * Answers a new request and renders one more chunk of at most {@code chunk} frames into the ring if it
     * has room; returns whether it did any work. {@code scratch} holds the rendered chunk, one array per
     * track channel; {@code decode[n]} has one array per channel for files of {@code n} channels. A clip
     * that cannot be read is left out of the chunk (silence) and its failure thrown once the chunk is in.
     */
    boolean readerStep(int chunk, ClipReader.Buffers buffers) throws java.io.IOException {
        if (renderThreadReader != null) {
            return false;
        }
        float[][] scratch = buffers.mix;
        long generation = wantedGeneration.getAcquire();
        boolean worked = false;
        if (generation != readerGeneration) {
            readerGeneration = generation;
            readerPosition = wantedPosition;
            readerLoop = wantedLoop;
            readerClips = wantedClips;
            startIndex = written.getPlain();
            startPosition = readerPosition;
            startGeneration.setRelease(generation);
            worked = true;
        }
        if (readerGeneration == 0) {
            return worked;
        }
        long free = capacity - (written.getPlain() - read.getAcquire());
        int frames = (int) Math.min(chunk, free);
        if (frames < Math.min(chunk, capacity / 4)) {
            return worked;
        }
        if (readerLoop != null && readerPosition < readerLoop.end()) {
            frames = (int) Math.min(frames, readerLoop.end() - readerPosition);
        }
        for (int c = 0; c < channels; c++) {
            Arrays.fill(scratch[c], 0, frames, 0f);
        }
        java.io.IOException failure = null;
        for (PlaybackClip clip : readerClips) {
            try {
                clip.mixInto(readerPosition, frames, scratch, channels, buffers.decode[clip.fileChannels()],
                        buffers.bytes);
            } catch (java.io.IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new java.io.IOException(e.toString(), e);
            }
        }
        long w = written.getPlain();
        for (int i = 0; i < frames; i++) {
            int index = (int) ((w + i) % capacity) * channels;
            for (int c = 0; c < channels; c++) {
                ring[index + c] = scratch[c][i];
            }
        }
        written.setRelease(w + frames);
        readerPosition = readerLoop == null ? readerPosition + frames : readerLoop.advance(readerPosition, frames);
        if (failure != null) {
            throw failure;
        }
        return true;
    }
}
