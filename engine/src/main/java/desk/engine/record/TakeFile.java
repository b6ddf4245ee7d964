package desk.engine.record;

import desk.engine.io.AudioFileInfo;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One take's file as it is recorded: a Broadcast Wave file (WAVE_FORMAT_EXTENSIBLE, 24-bit PCM or 32-bit
 * float) with a {@code bext} chunk that carries the origination date and time and the time reference (the
 * timeline sample of the first frame). The header is rewritten after every append, so the file on disk is
 * always a valid WAV of the data written so far; past 4 GiB the file turns into RF64 (its {@code JUNK}
 * chunk becomes {@code ds64}). The file is created new: an existing file is never overwritten.
 * <p>
 * Layout: RIFF/RF64 header (12 bytes), JUNK/ds64 (36), bext (610), fmt (48), data header (8), data.
 * <p>
 * Threads: one thread at a time (the disk thread); {@link #timeReference(Path)} on any thread.
 */
public final class TakeFile implements AutoCloseable {
    /** Where the samples start. */
    public static final int HEADER_BYTES = 714;
    /** Past this many bytes of RIFF payload a take becomes RF64. */
    public static final long RIFF_LIMIT = 0xFFFFFFFFL;

    private static final int RIFF_SIZE = 4;
    private static final int JUNK = 12;
    private static final int DS64_RIFF_SIZE = 20;
    private static final int DS64_DATA_SIZE = 28;
    private static final int DS64_SAMPLE_COUNT = 36;
    private static final int BEXT = 48;
    private static final int BEXT_BODY = 56;
    private static final int BEXT_BYTES = 602;
    private static final int TIME_REFERENCE = BEXT_BODY + 338;
    private static final int FMT = 658;
    private static final int DATA_SIZE = 710;
    private static final byte[] SUBFORMAT_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    /** Opens the channel of a new take file. */
    @FunctionalInterface
    public interface Opener {
        /** A channel for writing the new file {@code file}; fails if it exists. */
        FileChannel open(Path file) throws IOException;
    }

    /** Creates the file new for writing, refusing an existing one. */
    public static final Opener NEW_FILE = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    private final Path file;
    private final FileChannel channel;
    private final int channels;
    private final SampleFormat format;
    private final int frameBytes;
    private final long riffLimit;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer encoded;
    private long dataBytes;
    private boolean rf64;

    private TakeFile(Path file, FileChannel channel, int channels, SampleFormat format, long riffLimit) {
        this.file = file;
        this.channel = channel;
        this.channels = channels;
        this.format = format;
        this.frameBytes = channels * format.bytesPerSample();
        this.riffLimit = riffLimit;
        this.encoded = ByteBuffer.allocate(frameBytes * 4096).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Creates {@code file} (never over an existing one) through {@code opener} and writes its header:
     * {@code channels} channels at {@code sampleRate} Hz in {@code format} (24-bit PCM or 32-bit float),
     * originated at {@code origination}; it turns RF64 once its RIFF payload would pass {@code riffLimit}
     * bytes ({@link #RIFF_LIMIT} for real takes).
     */
    public static TakeFile create(Path file, int sampleRate, int channels, SampleFormat format,
                                  LocalDateTime origination, long riffLimit, Opener opener) throws IOException {
        if (format != SampleFormat.PCM_24 && format != SampleFormat.FLOAT_32) {
            throw new IllegalArgumentException("takes are 24-bit PCM or 32-bit float, not " + format);
        }
        FileChannel channel;
        try {
            channel = opener.open(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("take " + file + " exists already: takes are never overwritten", e);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot create take " + file + ": its folder does not exist", e);
        }
        TakeFile take = new TakeFile(file, channel, channels, format, riffLimit);
        try {
            take.writeHeader(sampleRate, origination);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return take;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Frames written so far. */
    public long frames() {
        return dataBytes / frameBytes;
    }

    /** Whether the file has turned RF64. */
    public boolean rf64() {
        return rf64;
    }

    /** Appends {@code frames} interleaved frames from {@code samples} and brings the header up to date. */
    public void append(float[] samples, int frames) throws IOException {
        int bytes = frames * frameBytes;
        if (encoded.capacity() < bytes) {
            encoded = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        encoded.clear();
        int count = frames * channels;
        if (format == SampleFormat.FLOAT_32) {
            for (int i = 0; i < count; i++) {
                encoded.putFloat(samples[i]);
            }
        } else {
            for (int i = 0; i < count; i++) {
                int value = WavWriter.quantize(samples[i], 24);
                encoded.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
            }
        }
        encoded.flip();
        writeFully(encoded, HEADER_BYTES + dataBytes);
        dataBytes += bytes;
        updateSizes();
    }

    /** Sets the bext time reference: the timeline sample of the first frame. */
    public void timeReference(long sample) throws IOException {
        small.clear();
        small.putLong(sample).flip();
        writeFully(small, TIME_REFERENCE);
    }

    /** Makes the data and the header written so far durable on the disk. */
    public void force() throws IOException {
        channel.force(false);
    }

    /** Pads the data to an even length, forces it to disk and closes the file. */
    @Override
    public void close() throws IOException {
        try (channel) {
            if ((dataBytes & 1) != 0) {
                writeFully(ByteBuffer.allocate(1), HEADER_BYTES + dataBytes);
            }
            updateSizes();
            channel.force(true);
        }
    }

    /** The bext time reference of a take file (the timeline sample of its first frame), or 0 without one. */
    public static long timeReference(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int read;
            do {
                read = in.read(head);
            } while (read > 0 && head.hasRemaining());
            if (head.position() < TIME_REFERENCE + 8 || !"bext".equals(tag(head, BEXT))) {
                return 0;
            }
            return head.getLong(TIME_REFERENCE);
        }
    }

    private static String tag(ByteBuffer buffer, int at) {
        byte[] bytes = new byte[4];
        buffer.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private void writeHeader(int sampleRate, LocalDateTime origination) throws IOException {
        putTag("RIFF", 0);
        putTag("WAVE", 8);
        putTag("JUNK", JUNK);
        header.putInt(JUNK + 4, 28);
        putTag("bext", BEXT);
        header.putInt(BEXT + 4, BEXT_BYTES);
        putText("Desk take", BEXT_BODY, 256);
        putText("Desk", BEXT_BODY + 256, 32);
        putText(file.getFileName().toString(), BEXT_BODY + 288, 32);
        putText(origination.format(DateTimeFormatter.ofPattern("yyyy-MM-dd")), BEXT_BODY + 320, 10);
        putText(origination.format(DateTimeFormatter.ofPattern("HH:mm:ss")), BEXT_BODY + 330, 8);
        header.putShort(BEXT_BODY + 346, (short) 1);
        putTag("fmt ", FMT);
        header.putInt(FMT + 4, 40);
        int body = FMT + 8;
        int bits = format.bitsPerSample();
        header.putShort(body, (short) AudioFileInfo.WAVE_FORMAT_EXTENSIBLE);
        header.putShort(body + 2, (short) channels);
        header.putInt(body + 4, sampleRate);
        header.putInt(body + 8, sampleRate * frameBytes);
        header.putShort(body + 12, (short) frameBytes);
        header.putShort(body + 14, (short) bits);
        header.putShort(body + 16, (short) 22);
        header.putShort(body + 18, (short) bits);
        header.putInt(body + 20, channels == 1 ? 0x4 : channels == 2 ? 0x3 : 0);
        header.putShort(body + 24, (short) format.wavFormatTag());
        header.put(body + 26, SUBFORMAT_TAIL);
        putTag("data", DATA_SIZE - 4);
        header.putInt(RIFF_SIZE, HEADER_BYTES - 8);
        header.clear();
        writeFully(header, 0);
    }

    private void putTag(String tag, int at) {
        header.put(at, tag.getBytes(StandardCharsets.US_ASCII));
    }

    private void putText(String text, int at, int length) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        header.put(at, bytes, 0, Math.min(length, bytes.length));
    }

    /** Writes the sizes for the data so far: RIFF sizes while they fit, else RF64 with a ds64 chunk. */
    private void updateSizes() throws IOException {
        long riffSize = HEADER_BYTES - 8 + dataBytes + (dataBytes & 1);
        if (!rf64 && riffSize > riffLimit) {
            rf64 = true;
            writeLongs(DS64_RIFF_SIZE, riffSize, dataBytes, frames());
            writeInt(DATA_SIZE, 0xFFFFFFFF);
            writeInt(RIFF_SIZE, 0xFFFFFFFF);
            writeTag(JUNK, "ds64");
            writeTag(0, "RF64");
            return;
        }
        if (rf64) {
            writeLongs(DS64_RIFF_SIZE, riffSize, dataBytes, frames());
        } else {
            writeInt(DATA_SIZE, (int) dataBytes);
            writeInt(RIFF_SIZE, (int) riffSize);
        }
    }

    private void writeLongs(int at, long riffSize, long data, long sampleCount) throws IOException {
        ByteBuffer values = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        values.putLong(riffSize).putLong(data).putLong(sampleCount).flip();
        writeFully(values, at);
    }

    private void writeInt(int at, int value) throws IOException {
        small.clear();
        small.putInt(value).flip();
        writeFully(small, at);
    }

    private void writeTag(int at, String tag) throws IOException {
        writeFully(ByteBuffer.wrap(tag.getBytes(StandardCharsets.US_ASCII)), at);
    }

    private void writeFully(ByteBuffer buffer, long at) throws IOException {
        long position = at;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }
}
