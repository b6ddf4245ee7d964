package desk.engine.io;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.IOException;

/**
 * Converts audio to another sample rate on its way into a file, with libsoxr (the SoX resampler library, Debian
 * package {@code libsoxr0}) at its very high quality: 28-bit precision, linear phase, the pass band flat to 91 %
 * of the lower Nyquist frequency. The output starts on the input's first instant (the library takes its own
 * delay out) and, once closed, holds the input's length at the new rate, rounded (what the filter rings on
 * past that is left out).
 * <p>
 * Threads: not for the audio thread; one thread at a time per instance.
 */
public final class Resampler implements AudioSink {
    /** soxr's very high quality recipe. */
    private static final int SOXR_VHQ = 4;
    private static final int BLOCK = 4096;
    /** libsoxr's names: the development link, then the runtime library. */
    private static final String[] LIBRARY_NAMES = {"soxr", "libsoxr.so.0"};

    /** libsoxr's {@code soxr_quality_spec_t}: how the resampler is built (for JNA only), passed by pointer. */
    @Structure.FieldOrder({"precision", "phaseResponse", "passbandEnd", "stopbandBegin", "e", "flags"})
    public static class QualitySpec extends Structure {
        /** Bits of precision. */
        public double precision;
        /** 0 minimum, 50 linear, 100 maximum phase. */
        public double phaseResponse;
        /** The end of the pass band, as a fraction of the lower Nyquist frequency. */
        public double passbandEnd;
        /** The start of the stop band, likewise. */
        public double stopbandBegin;
        /** Reserved. */
        public Pointer e;
        /** The recipe's flags. */
        public long flags;
    }

    /** The same, as {@code soxr_quality_spec} returns it: by value. */
    public static final class QualitySpecValue extends QualitySpec implements Structure.ByValue {
    }

    /** The part of libsoxr's API Desk uses; size_t is a 64-bit long here. */
    private interface LibSoxr extends Library {
        QualitySpecValue soxr_quality_spec(long recipe, long flags);

        Pointer soxr_create(double inputRate, double outputRate, int channels, PointerByReference error,
                            Pointer ioSpec, QualitySpec quality, Pointer runtime);

        String soxr_process(Pointer resampler, float[] in, long inLength, LongByReference inDone, float[] out,
                            long outLength, LongByReference outDone);

        void soxr_delete(Pointer resampler);
    }

    private static LibSoxr library;

    private final AudioSink downstream;
    private final LibSoxr soxr;
    private final Pointer resampler;
    private final int channels;
    private final float[] in;
    private final float[] out;
    private final float[][] planar;
    private final LongByReference inDone = new LongByReference();
    private final LongByReference outDone = new LongByReference();
    private final double ratio;
    private long framesIn;
    private long framesWritten;
    private boolean closed;

    private Resampler(AudioSink downstream, LibSoxr soxr, Pointer resampler, int channels, double ratio) {
        this.downstream = downstream;
        this.ratio = ratio;
        this.soxr = soxr;
        this.resampler = resampler;
        this.channels = channels;
        this.in = new float[BLOCK * channels];
        int outFrames = (int) Math.ceil(BLOCK * ratio) + BLOCK;
        this.out = new float[outFrames * channels];
        this.planar = new float[channels][outFrames];
    }

    /** libsoxr, loaded once; a one-line failure naming the package when it is missing. */
    private static synchronized LibSoxr library() throws IOException {
        if (library == null) {
            library = NativeLibraries.load(LibSoxr.class, "sample-rate conversion needs libsoxr, which is not"
                    + " installed (on Debian: apt-get install libsoxr0)", LIBRARY_NAMES);
        }
        return library;
    }

    /**
     * A resampler from {@code inputRate} to {@code outputRate} writing into {@code downstream} (a file at the
     * output rate), which it closes when it is closed.
     *
     * @throws IOException in one line when libsoxr is missing or refuses the rates
     */
    public static Resampler create(AudioSink downstream, int inputRate, int outputRate, int channels)
            throws IOException {
        LibSoxr soxr = library();
        PointerByReference error = new PointerByReference();
        QualitySpecValue recipe = soxr.soxr_quality_spec(SOXR_VHQ, 0);
        QualitySpec quality = new QualitySpec();
        quality.precision = recipe.precision;
        quality.phaseResponse = recipe.phaseResponse;
        quality.passbandEnd = recipe.passbandEnd;
        quality.stopbandBegin = recipe.stopbandBegin;
        quality.flags = recipe.flags;
        Pointer resampler = soxr.soxr_create(inputRate, outputRate, channels, error, null, quality, null);
        if (resampler == null || error.getValue() != null) {
            String why = error.getValue() == null ? "no resampler" : error.getValue().getString(0);
            throw new IOException("cannot convert " + inputRate + " Hz to " + outputRate + " Hz: libsoxr says " + why);
        }
        return new Resampler(downstream, soxr, resampler, channels, (double) outputRate / inputRate);
    }

    @Override
    public void write(float[][] samples, int offset, int frames) throws IOException {
        if (closed) {
            throw new IOException("cannot write: the resampler is already closed");
        }
        for (int done = 0; done < frames; ) {
            int count = Math.min(BLOCK, frames - done);
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < channels; c++) {
                    in[i * channels + c] = samples[c][offset + done + i];
                }
            }
            framesIn += count;
            process(in, count);
            done += count;
        }
    }

    /** Feeds {@code frames} interleaved frames (none and null to flush) and passes on what comes out. */
    private void process(float[] input, int frames) throws IOException {
        long consumed = 0;
        do {
            String error = soxr.soxr_process(resampler, input == null ? null : slice(input, consumed),
                    frames - consumed, inDone, out, out.length / channels, outDone);
            if (error != null) {
                throw new IOException("sample-rate conversion failed: libsoxr says " + error);
            }
            consumed += inDone.getValue();
            int produced = (int) Math.min(outDone.getValue(), Math.round(framesIn * ratio) - framesWritten);
            for (int i = 0; i < produced; i++) {
                for (int c = 0; c < channels; c++) {
                    planar[c][i] = out[i * channels + c];
                }
            }
            downstream.write(planar, 0, produced);
            framesWritten += produced;
            if (input == null && outDone.getValue() == 0) {
                return;
            }
        } while (input == null || consumed < frames);
    }

    /** The interleaved frames from {@code frame} on (a copy only when soxr left some of the input). */
    private float[] slice(float[] input, long frame) {
        if (frame == 0) {
            return input;
        }
        float[] rest = new float[input.length - (int) frame * channels];
        System.arraycopy(input, (int) frame * channels, rest, 0, rest.length);
        return rest;
    }

    /** Frames passed on at the output rate so far. */
    @Override
    public long framesWritten() {
        return framesWritten;
    }

    /** Flushes the last output, frees the resampler and closes the file it writes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (downstream) {
            process(null, 0);
        } finally {
            soxr.soxr_delete(resampler);
        }
    }
}
