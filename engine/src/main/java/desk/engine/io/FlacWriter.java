package desk.engine.io;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams audio to a FLAC file in 16- or 24-bit, dithered as asked, through the reference encoder (libFLAC,
 * which Debian's {@code flac} package brings) at compression level 5, its default. The encoder verifies what it writes
 * against its own decoding and writes the MD5 signature of the audio into the file's STREAMINFO.
 * <p>
 * Threads: not for the audio thread (it blocks on disk); one thread at a time per instance.
 */
public final class FlacWriter implements AudioSink {
    private static final int COMPRESSION_LEVEL = 5;
    private static final int BLOCK = 4096;

    /** The part of libFLAC's stream encoder Desk uses; FLAC__bool is an int, non-zero for true. */
    private interface LibFlac extends Library {
        Pointer FLAC__stream_encoder_new();

        int FLAC__stream_encoder_set_verify(Pointer encoder, int value);

        int FLAC__stream_encoder_set_channels(Pointer encoder, int value);

        int FLAC__stream_encoder_set_bits_per_sample(Pointer encoder, int value);

        int FLAC__stream_encoder_set_sample_rate(Pointer encoder, int value);

        int FLAC__stream_encoder_set_compression_level(Pointer encoder, int value);

        int FLAC__stream_encoder_init_file(Pointer encoder, String filename, Pointer progress, Pointer clientData);

        int FLAC__stream_encoder_process_interleaved(Pointer encoder, int[] buffer, int samplesPerChannel);

        int FLAC__stream_encoder_finish(Pointer encoder);

        void FLAC__stream_encoder_delete(Pointer encoder);

        String FLAC__stream_encoder_get_resolved_state_string(Pointer encoder);
    }

    /** libFLAC's names: the development link, then the runtime libraries of recent Debian releases. */
    private static final String[] LIBRARY_NAMES = {"FLAC", "libFLAC.so.14", "libFLAC.so.12", "libFLAC.so.8"};

    private static LibFlac library;

    private final Path file;
    private final LibFlac flac;
    private final Pointer encoder;
    private final int channelCount;
    private final int bits;
    private final Dither dither;
    private final int[] interleaved;
    private long framesWritten;
    private boolean closed;

    private FlacWriter(Path file, LibFlac flac, Pointer encoder, int channels, int bits, Dither dither) {
        this.file = file;
        this.flac = flac;
        this.encoder = encoder;
        this.channelCount = channels;
        this.bits = bits;
        this.dither = dither;
        this.interleaved = new int[BLOCK * channels];
    }

    /** libFLAC, loaded once; a one-line failure naming the package when it is missing. */
    private static synchronized LibFlac library() throws IOException {
        if (library == null) {
            library = NativeLibraries.load(LibFlac.class, "FLAC files need libFLAC, which is not installed (on Debian:"
                    + " apt-get install flac)", LIBRARY_NAMES);
        }
        return library;
    }

    /**
     * Creates (or truncates) {@code file} for FLAC audio of this layout.
     *
     * @param format PCM_16 or PCM_24: FLAC holds integer samples only
     * @param dither the dither reducing float samples to the format (null: none)
     * @throws IllegalArgumentException if an argument is out of range or the format is float
     * @throws IOException              if libFLAC is missing or the file cannot be created, in one line
     */
    public static FlacWriter create(Path file, int sampleRate, int channels, SampleFormat format, Dither dither)
            throws IOException {
        Objects.requireNonNull(file, "file");
        if (format.isFloat()) {
            throw new IllegalArgumentException("FLAC holds 16- or 24-bit samples, not 32-bit float: use 16 or 24 bits");
        }
        if (sampleRate < 1 || sampleRate > 655_350) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " is out of range for FLAC: use 1 to 655350 Hz");
        }
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("channels " + channels + " is out of range for FLAC: use 1 to 8");
        }
        LibFlac flac = library();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("cannot create " + file + ": its folder does not exist");
        }
        Pointer encoder = flac.FLAC__stream_encoder_new();
        if (encoder == null) {
            throw new IOException("cannot create " + file + ": libFLAC could not make an encoder");
        }
        boolean set = flac.FLAC__stream_encoder_set_verify(encoder, 1) != 0
                && flac.FLAC__stream_encoder_set_channels(encoder, channels) != 0
                && flac.FLAC__stream_encoder_set_bits_per_sample(encoder, format.bitsPerSample()) != 0
                && flac.FLAC__stream_encoder_set_sample_rate(encoder, sampleRate) != 0
                && flac.FLAC__stream_encoder_set_compression_level(encoder, COMPRESSION_LEVEL) != 0;
        int status = set ? flac.FLAC__stream_encoder_init_file(encoder, file.toString(), null, null) : -1;
        if (status != 0) {
            String state = flac.FLAC__stream_encoder_get_resolved_state_string(encoder);
            flac.FLAC__stream_encoder_delete(encoder);
            throw new IOException("cannot create " + file + ": libFLAC says " + state);
        }
        return new FlacWriter(file, flac, encoder, channels, format.bitsPerSample(),
                dither == null ? Dither.of(Dither.Kind.NONE, channels) : dither);
    }

    @Override
    public void write(float[][] channels, int offset, int frames) throws IOException {
        if (closed) {
            throw new IOException(file + ": cannot write, the FLAC writer is already closed");
        }
        if (channels.length != channelCount) {
            throw new IllegalArgumentException("channels has " + channels.length + " arrays but the file has "
                    + channelCount);
        }
        for (int done = 0; done < frames; ) {
            int count = Math.min(BLOCK, frames - done);
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < channelCount; c++) {
                    interleaved[i * channelCount + c] = dither.quantize(c, channels[c][offset + done + i], bits);
                }
            }
            if (flac.FLAC__stream_encoder_process_interleaved(encoder, interleaved, count) == 0) {
                throw new IOException(file + ": libFLAC could not encode: "
                        + flac.FLAC__stream_encoder_get_resolved_state_string(encoder));
            }
            done += count;
            framesWritten += count;
        }
    }

    @Override
    public long framesWritten() {
        return framesWritten;
    }

    /** Finishes the stream (writing STREAMINFO with the length and MD5 signature) and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean finished = flac.FLAC__stream_encoder_finish(encoder) != 0;
        String state = finished ? null : flac.FLAC__stream_encoder_get_resolved_state_string(encoder);
        flac.FLAC__stream_encoder_delete(encoder);
        if (!finished) {
            throw new IOException(file + ": libFLAC could not finish the file: " + state);
        }
    }
}
