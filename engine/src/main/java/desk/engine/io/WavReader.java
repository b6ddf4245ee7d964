package desk.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Loads RIFF/WAVE files into memory as float samples. Reads integer PCM of 8 (unsigned), 16, 24 and 32 bits
 * and IEEE float of 32 and 64 bits, plain or WAVE_FORMAT_EXTENSIBLE; skips unknown chunks (LIST, bext, ...)
 * including odd-sized ones with their pad byte. A data chunk cut short (its header declares more bytes than
 * the file holds) is refused with a {@link TruncatedWavException}, or read as far as it goes when the caller
 * allows it ({@link Truncation}); a data size of 0xFFFFFFFF in a plain RIFF file (a writer that streamed and
 * never knew the length) means "to the end of the file". RF64 files (data past 4 GiB, sizes in a
 * {@code ds64} chunk) are read too.
 * Integers are divided by 2<sup>bits-1</sup>, so full-scale negative reads as exactly -1.0. Float input has
 * subnormals replaced by zero; NaN and infinities are kept as they are, for the strip they reach to count
 * and silence (see {@code Meter}).
 * Every failure is an {@link IOException} with one line naming the file and the problem.
 * <p>
 * Threads: not for the audio thread (it allocates and blocks on disk); any other thread may call it, and
 * calls may run concurrently.
 */
public final class WavReader {
    private static final String SUPPORTED = "Desk reads PCM 8/16/24/32-bit and 32/64-bit float";
    private static final int MAX_FRAMES = Integer.MAX_VALUE - 8;
    private static final int READ_BLOCK_BYTES = 1 << 20;
    private static final int MIN_FMT_BYTES = 16;
    private static final int EXTENSIBLE_FMT_BYTES = 40;
    private static final Map<Integer, String> ENCODING_NAMES = Map.ofEntries(
            Map.entry(0x0002, "ADPCM"),
            Map.entry(0x0006, "A-law"),
            Map.entry(0x0007, "mu-law"),
            Map.entry(0x0011, "IMA ADPCM"),
            Map.entry(0x0031, "GSM 6.10"),
            Map.entry(0x0050, "MPEG"),
            Map.entry(0x0055, "MP3"),
            Map.entry(0x00FF, "AAC"),
            Map.entry(0x0161, "WMA"),
            Map.entry(0x2000, "AC-3"),
            Map.entry(0xF1AC, "FLAC"));

    private WavReader() {
    }

    /**
     * Reads the whole file into memory, refusing a truncated one.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws TruncatedWavException             if its data chunk is cut short
     * @throws IOException                       if it cannot be read or is not a WAV file Desk can decode
     */
    public static AudioFile read(Path file) throws IOException {
        return read(file, Truncation.REFUSE);
    }

    /** As {@link #read(Path)}, reading a truncated file as far as it goes if {@code truncation} allows it. */
    public static AudioFile read(Path file, Truncation truncation) throws IOException {
        try (FileChannel channel = open(file)) {
            Layout layout = parseHeader(file, channel, true, truncation);
            float[][] samples = decodeSamples(file, channel, layout);
            return new AudioFile(layout.sampleRate, layout.channels, layout.nearestFormat(),
                    layout.validBits, samples);
        }
    }

    /**
     * Reads only the header: the same checks as {@link #read}, without decoding the samples.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws TruncatedWavException             if its data chunk is cut short
     * @throws IOException                       if it cannot be read or is not a WAV file Desk can decode
     */
    public static AudioFileInfo probe(Path file) throws IOException {
        return probe(file, Truncation.REFUSE);
    }

    /**
     * As {@link #probe(Path)}; if {@code truncation} allows a truncated file, its info says how short it is
     * ({@link AudioFileInfo#truncatedData()}).
     */
    public static AudioFileInfo probe(Path file, Truncation truncation) throws IOException {
        try (FileChannel channel = open(file)) {
            return parseHeader(file, channel, false, truncation).info();
        }
    }

    /**
     * Opens {@code file} for reading frames anywhere in it, without loading it: the same checks as
     * {@link #probe(Path)}. Close the stream when done.
     */
    public static Stream stream(Path file) throws IOException {
        return stream(file, Truncation.REFUSE);
    }

    /** As {@link #stream(Path)}, opening a truncated file if {@code truncation} allows it. */
    public static Stream stream(Path file, Truncation truncation) throws IOException {
        FileChannel channel = open(file);
        try {
            return new Stream(file, channel, parseHeader(file, channel, false, truncation));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A WAV file open for random reads of frames, decoded to float as {@link #read} does. Reads that bring their
     * own byte buffer may run on any threads at once. Reads that bring none go through the stream's window
     * ({@link #openWindow}), one thread at a time: a reader that goes on where its last read ended has the
     * window filled ahead, {@value #WINDOW_BYTES} bytes at a system call, and reads from memory until it has
     * used them up; any other read takes only what it asks for.
     */
    public static final class Stream implements java.io.Closeable {
        /** How many bytes of the file a window reads ahead at once. */
        static final int WINDOW_BYTES = 1 << 17;

        private final Path file;
        private final FileChannel channel;
        private final Layout layout;
        private ByteBuffer block = ByteBuffer.allocate(0);
        private volatile Window window;

        private Stream(Path file, FileChannel channel, Layout layout) {
            this.file = file;
            this.channel = channel;
            this.layout = layout;
        }

        /** What the file holds: rate, channels, bits, encoding, length and whether it is cut short. */
        public AudioFileInfo info() {
            return layout.info();
        }

        /**
         * Decodes frames {@code [frame, frame + count)} into {@code out[c][at..at + count)}, one array per
         * channel of the file; frames past the end of the file read as silence.
         */
        public void read(long frame, int count, float[][] out, int at) throws IOException {
            int bytes = count * layout.frameBytes;
            if (block.capacity() < bytes) {
                block = ByteBuffer.allocate(bytes);
            }
            read(frame, count, out, at, block);
        }

        /**
         * As {@link #read(long, int, float[][], int)}, through {@code bytes}, a heap buffer that only the
         * calling thread uses, of at least {@code count} frames of the file (its channels times its bytes per sample
         * each); or, if {@code bytes} is null, through the stream's window.
         */
        public void read(long frame, int count, float[][] out, int at, ByteBuffer bytes) throws IOException {
            int inside = (int) Math.max(0, Math.min(count, layout.frames - frame));
            for (float[] channel : out) {
                java.util.Arrays.fill(channel, at + inside, at + count, 0f);
            }
            if (inside == 0) {
                return;
            }
            int position = fetch(frame, inside, bytes);
            layout.encoding.decode(bytes == null ? window.bytes : bytes.array(), position, inside, out, at);
        }

        /**
         * Adds frames {@code [frame, frame + count)}, times {@code gain}, into {@code out[c][at..at + count)}
         * for each of the {@code channels} channels of {@code out}: file channel {@code c}, or the only one of
         * a mono file. Inside the file, the sum is what decoding with {@link #read} and then adding would give,
         * sample for sample, in one pass over each channel; frames past its end add nothing. {@code bytes} as for
         * {@link #read(long, int, float[][], int, ByteBuffer)}.
         */
        public void mix(long frame, int count, float[][] out, int channels, int at, float gain, ByteBuffer bytes)
                throws IOException {
            int inside = (int) Math.max(0, Math.min(count, layout.frames - frame));
            if (inside == 0) {
                return;
            }
            int start = fetch(frame, inside, bytes);
            byte[] source = bytes == null ? window.bytes : bytes.array();
            int fileChannels = layout.channels();
            int stride = fileChannels * layout.encoding.bytesPerSample;
            for (int c = 0; c < channels; c++) {
                int position = start + (fileChannels == 1 ? 0 : c) * layout.encoding.bytesPerSample;
                layout.encoding.decodeChannel(source, position, stride, inside, out[c], at, gain, true);
            }
        }

        /**
         * Brings the bytes of frames {@code [frame, frame + count)}, all inside the file, into {@code bytes} from
         * its start, or into the window if {@code bytes} is null; returns where in the window they start.
         */
        private int fetch(long frame, int count, ByteBuffer bytes) throws IOException {
            if (bytes == null) {
                if (window == null) {
                    openWindow();
                }
                return window.fetch(frame, count);
            }
            readAt(frame, count, bytes);
            return 0;
        }

        /** Reads frames {@code [frame, frame + count)}, all inside the file, into {@code bytes} from its start. */
        private void readAt(long frame, int count, ByteBuffer bytes) throws IOException {
            bytes.clear().limit(count * layout.frameBytes);
            long position = layout.dataOffset + frame * layout.frameBytes;
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new EOFException(file + " became shorter while it was being read");
                }
            }
        }

        /**
         * Gives the stream its window, for reads that bring no byte buffer: for a thread that reads often and
         * little, like an offline render's. Opening again does nothing. Any thread; open it before the reads, or
         * the first read opens it.
         */
        public synchronized void openWindow() {
            if (window == null) {
                window = new Window(Math.max(1, WINDOW_BYTES / layout.frameBytes));
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        /** The frames of the file last read ahead, and where the reader's next read is expected. */
        private final class Window {
            private byte[] bytes;
            private ByteBuffer buffer;
            private long start;
            private int frames;
            private long next = -1;

            Window(int capacity) {
                bytes = new byte[capacity * layout.frameBytes];
                buffer = ByteBuffer.wrap(bytes);
            }

            /**
             * Has frames {@code [frame, frame + count)}, all inside the file, in {@link #bytes}, and returns
             * where they start: read ahead if the read goes on where the last one ended, exactly otherwise.
             */
            int fetch(long frame, int count) throws IOException {
                boolean ahead = frame == next;
                next = frame + count;
                if (frame < start || frame + count > start + frames) {
                    int capacity = bytes.length / layout.frameBytes;
                    if (count > capacity) {
                        bytes = new byte[count * layout.frameBytes];
                        buffer = ByteBuffer.wrap(bytes);
                        capacity = count;
                    }
                    int wanted = ahead ? (int) Math.min(capacity, layout.frames - frame) : count;
                    frames = 0;
                    readAt(frame, wanted, buffer);
                    start = frame;
                    frames = wanted;
                }
                return (int) (frame - start) * layout.frameBytes;
            }
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder, not a WAV file");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "file not found");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "permission denied");
        }
    }

    private static Layout parseHeader(Path file, FileChannel channel, boolean inMemory, Truncation truncation)
            throws IOException {
        long fileSize = channel.size();
        ByteBuffer riff = readAt(channel, 0, 12);
        String container = riff.limit() < 4 ? "" : fourCc(riff, 0);
        if (!container.equals("RIFF") && !container.equals("RF64") && !container.equals("RIFX")) {
            throw new IOException(file + ": not a WAV file (no RIFF/RF64 header at byte 0)");
        }
        if (riff.limit() < 12 || !"WAVE".equals(fourCc(riff, 8))) {
            throw new IOException(file + ": not a WAV file (no WAVE form type at byte 8)");
        }
        long ds64DataBytes = -1;
        if (container.equals("RF64")) {
            ByteBuffer ds64 = readAt(channel, 12, 36);
            if (ds64.limit() < 36 || !"ds64".equals(fourCc(ds64, 0))) {
                throw new IOException(file + " is an RF64 file without a ds64 chunk");
            }
            ds64DataBytes = ds64.getLong(16);
        }
        if (container.equals("RIFX")) {
            throw new IOException(file + " is a big-endian RIFX file; Desk reads little-endian RIFF WAV files");
        }
        Format format = null;
        long dataOffset = -1;
        long dataBytes = 0;
        TruncatedData truncatedData = null;
        long position = 12;
        while (position + 8 <= fileSize && (format == null || dataOffset < 0)) {
            ByteBuffer chunkHeader = readAt(channel, position, 8);
            String id = fourCc(chunkHeader, 0);
            long size = Integer.toUnsignedLong(chunkHeader.getInt(4));
            long body = position + 8;
            if (id.equals("fmt ") && format == null) {
                format = parseFormat(file, channel, body, size);
            } else if (id.equals("data") && dataOffset < 0) {
                dataOffset = body;
                if (size == 0xFFFFFFFFL) {
                    size = ds64DataBytes >= 0 ? ds64DataBytes : fileSize - body;
                }
                dataBytes = Math.min(size, fileSize - body);
                if (size > dataBytes) {
                    truncatedData = new TruncatedData(body, size, fileSize);
                }
            }
            position = body + size + (size & 1);
        }
        if (format == null) {
            throw new IOException(file + " has no fmt chunk");
        }
        if (dataOffset < 0) {
            throw new IOException(file + " has no data chunk");
        }
        int frameBytes = format.channels * format.encoding.bytesPerSample;
        long frames = dataBytes / frameBytes;
        if (inMemory && frames > MAX_FRAMES) {
            throw new IOException(file + " has " + frames + " frames per channel; Desk loads at most "
                    + MAX_FRAMES + " into memory");
        }
        Layout layout = new Layout(format.sampleRate, format.channels, format.encoding, format.validBits, dataOffset,
                frameBytes, frames, truncatedData);
        if (truncatedData != null && truncation != Truncation.ALLOW) {
            throw new TruncatedWavException(file, layout.info());
        }
        return layout;
    }

    private static Format parseFormat(Path file, FileChannel channel, long body, long size) throws IOException {
        if (size < MIN_FMT_BYTES) {
            throw new IOException(file + " has a fmt chunk of " + size + " bytes, too short for a WAV format");
        }
        int wanted = (int) Math.min(size, EXTENSIBLE_FMT_BYTES);
        ByteBuffer fmt = readAt(channel, body, wanted);
        if (fmt.limit() < wanted) {
            throw new IOException(file + " has a truncated fmt chunk");
        }
        int tag = Short.toUnsignedInt(fmt.getShort(0));
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        long sampleRate = Integer.toUnsignedLong(fmt.getInt(4));
        int containerBits = Short.toUnsignedInt(fmt.getShort(14));
        int validBits = containerBits;
        boolean extensible = tag == AudioFileInfo.WAVE_FORMAT_EXTENSIBLE;
        if (extensible) {
            if (fmt.limit() < EXTENSIBLE_FMT_BYTES) {
                throw new IOException(file + " has a WAVE_FORMAT_EXTENSIBLE fmt chunk without its subformat");
            }
            int declaredValidBits = Short.toUnsignedInt(fmt.getShort(18));
            if (declaredValidBits > 0 && declaredValidBits <= containerBits) {
                validBits = declaredValidBits;
            }
            tag = Short.toUnsignedInt(fmt.getShort(24));
        }
        if (channels < 1) {
            throw new IOException(file + " declares 0 channels");
        }
        if (sampleRate < 1 || sampleRate > Integer.MAX_VALUE) {
            throw new IOException(file + " declares an invalid sample rate of " + sampleRate + " Hz");
        }
        Encoding encoding = Encoding.of(tag, containerBits);
        if (encoding == null) {
            throw new IOException(file + " uses " + describeUnsupported(tag, containerBits, extensible)
                    + "; " + SUPPORTED);
        }
        return new Format((int) sampleRate, channels, encoding, validBits);
    }

    private static String describeUnsupported(int tag, int bits, boolean extensible) {
        String inside = extensible ? " inside WAVE_FORMAT_EXTENSIBLE" : "";
        if (tag == AudioFileInfo.WAVE_FORMAT_PCM) {
            return "unsupported " + bits + "-bit PCM" + inside;
        }
        if (tag == AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT) {
            return "unsupported " + bits + "-bit float" + inside;
        }
        String name = ENCODING_NAMES.get(tag);
        return "unsupported encoding tag " + String.format(Locale.ROOT, "0x%04X", tag)
                + (name == null ? "" : " (" + name + ")") + inside;
    }

    private static float[][] decodeSamples(Path file, FileChannel channel, Layout layout) throws IOException {
        int frames = (int) layout.frames;
        float[][] samples = new float[layout.channels][frames];
        int framesPerBlock = Math.max(1, READ_BLOCK_BYTES / layout.frameBytes);
        ByteBuffer block = ByteBuffer.allocate(Math.min(frames, framesPerBlock) * layout.frameBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        int frame = 0;
        while (frame < frames) {
            int count = Math.min(frames - frame, framesPerBlock);
            block.clear().limit(count * layout.frameBytes);
            long position = layout.dataOffset + (long) frame * layout.frameBytes;
            while (block.hasRemaining()) {
                int read = channel.read(block, position + block.position());
                if (read < 0) {
                    throw new EOFException(file + " became shorter while it was being read");
                }
            }
            layout.encoding.decode(block.array(), 0, count, samples, frame);
            frame += count;
        }
        return samples;
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip();
    }

    private static String fourCc(ByteBuffer buffer, int offset) {
        byte[] bytes = new byte[4];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Replaces subnormals by +0, keeping every other value (NaN and infinities too). */
    private static float flushSubnormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    private record Format(int sampleRate, int channels, Encoding encoding, int validBits) {
    }

    private record Layout(int sampleRate, int channels, Encoding encoding, int validBits, long dataOffset,
                          int frameBytes, long frames, TruncatedData truncatedData) {
        AudioFileInfo info() {
            return new AudioFileInfo(sampleRate, channels, validBits, encoding.formatTag, frames, truncatedData);
        }

        /** The Desk format that holds these samples without loss, or null if there is none. */
        SampleFormat nearestFormat() {
            if (encoding.formatTag == AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT) {
                return encoding == Encoding.FLOAT_32 ? SampleFormat.FLOAT_32 : null;
            }
            if (validBits <= 8 || validBits > 24) {
                return null;
            }
            return validBits <= 16 ? SampleFormat.PCM_16 : SampleFormat.PCM_24;
        }
    }

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** The sample encodings the reader decodes, by container size: little-endian samples read from byte arrays. */
    private enum Encoding {
        UNSIGNED_8(AudioFileInfo.WAVE_FORMAT_PCM, 1) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    put(out, at + i, ((block[position] & 0xFF) - 128) * 0x1p-7f, gain, add);
                }
            }
        },
        SIGNED_16(AudioFileInfo.WAVE_FORMAT_PCM, 2) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    put(out, at + i, (short) SHORTS.get(block, position) * 0x1p-15f, gain, add);
                }
            }
        },
        SIGNED_24(AudioFileInfo.WAVE_FORMAT_PCM, 3) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    int value = (block[position] & 0xFF) | (block[position + 1] & 0xFF) << 8
                            | block[position + 2] << 16;
                    put(out, at + i, value * 0x1p-23f, gain, add);
                }
            }
        },
        SIGNED_32(AudioFileInfo.WAVE_FORMAT_PCM, 4) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    put(out, at + i, (int) INTS.get(block, position) * 0x1p-31f, gain, add);
                }
            }
        },
        FLOAT_32(AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT, 4) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    put(out, at + i, flushSubnormal((float) FLOATS.get(block, position)), gain, add);
                }
            }
        },
        FLOAT_64(AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT, 8) {
            @Override
            void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                               boolean add) {
                for (int i = 0; i < count; i++, position += stride) {
                    put(out, at + i, flushSubnormal((float) (double) DOUBLES.get(block, position)), gain, add);
                }
            }
        };

        final int formatTag;
        final int bytesPerSample;

        Encoding(int formatTag, int bytesPerSample) {
            this.formatTag = formatTag;
            this.bytesPerSample = bytesPerSample;
        }

        /** The encoding for a format tag and container size in bits, or null if Desk cannot decode it. */
        static Encoding of(int tag, int containerBits) {
            if (tag == AudioFileInfo.WAVE_FORMAT_PCM) {
                return switch ((containerBits + 7) / 8) {
                    case 1 -> UNSIGNED_8;
                    case 2 -> SIGNED_16;
                    case 3 -> SIGNED_24;
                    case 4 -> SIGNED_32;
                    default -> null;
                };
            }
            if (tag == AudioFileInfo.WAVE_FORMAT_IEEE_FLOAT) {
                return switch (containerBits) {
                    case 32 -> FLOAT_32;
                    case 64 -> FLOAT_64;
                    default -> null;
                };
            }
            return null;
        }

        /** Decodes {@code frames} frames of {@code block} from byte {@code position} into {@code out[c][at..]}. */
        void decode(byte[] block, int position, int frames, float[][] out, int at) {
            int stride = out.length * bytesPerSample;
            for (int c = 0; c < out.length; c++) {
                decodeChannel(block, position + c * bytesPerSample, stride, frames, out[c], at, 1f, false);
            }
        }

        /**
         * Decodes {@code count} samples of one channel, from byte {@code position} of {@code block} every
         * {@code stride} bytes, into {@code out[at..]}: each sample times {@code gain}, added to what is there if
         * {@code add}, else written over it.
         */
        abstract void decodeChannel(byte[] block, int position, int stride, int count, float[] out, int at, float gain,
                                    boolean add);

        /** Writes (or adds) one decoded sample times {@code gain} at {@code out[index]}. */
        private static void put(float[] out, int index, float sample, float gain, boolean add) {
            float scaled = sample * gain;
            out[index] = add ? out[index] + scaled : scaled;
        }
    }
}
