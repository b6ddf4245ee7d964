package desk.engine.io;

import desk.engine.RealTime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Streams audio to a RIFF/WAVE file in 16- or 24-bit PCM or 32-bit float, optionally a Broadcast Wave file
 * (with a {@code bext} chunk) and dithered. The header is written first with zero sizes and rewritten by
 * {@link #close()}. Samples are encoded into one preallocated buffer
 * that goes to disk whenever it fills, so many small writes cost few system calls; only {@link #close()}
 * guarantees that everything written is in the file. Float samples are converted to PCM by scaling with
 * 2<sup>bits-1</sup>, rounding half away from zero and clamping, without dither, so equal input always
 * gives byte-identical files; {@link Dither} does better for delivery. Files whose data would pass the 4 GiB RIFF limit are refused.
 * <p>
 * Threads: not for the audio thread (it blocks on disk); one thread at a time per instance.
 */
public final class WavWriter implements AudioSink {
    /** Highest sample rate accepted by {@link #create}. */
    public static final int MAX_SAMPLE_RATE = 768_000;
    /** Highest channel count accepted by {@link #create}. */
    public static final int MAX_CHANNELS = 64;

    private static final long MAX_RIFF_SIZE = 0xFFFF_FFFFL;
    private static final int PCM_HEADER_BYTES = 44;
    private static final int FLOAT_HEADER_BYTES = 58;
    private static final int CHUNK_HEADER_BYTES = 8;
    private static final int BUFFER_BYTES = 1 << 18;

    private final Path file;
    private final FileChannel channel;
    private final int sampleRate;
    private final int channelCount;
    private final SampleFormat format;
    private final Dither dither;
    private BroadcastExtension bext;
    private final int blockAlign;
    private final int headerBytes;
    private final long maxDataBytes;
    private final ByteBuffer buffer;
    private long framesWritten;
    private long bytesOnDisk;
    private boolean closed;

    private WavWriter(Path file, FileChannel channel, int sampleRate, int channels, SampleFormat format,
                      Dither dither, BroadcastExtension bext, long dataLimitBytes) throws IOException {
        this.file = file;
        this.channel = channel;
        this.sampleRate = sampleRate;
        this.channelCount = channels;
        this.format = format;
        this.dither = dither == null ? Dither.of(Dither.Kind.NONE, channels) : dither;
        this.bext = bext;
        this.blockAlign = channels * format.bytesPerSample();
        this.headerBytes = (format.isFloat() ? FLOAT_HEADER_BYTES : PCM_HEADER_BYTES)
                + (bext == null ? 0 : CHUNK_HEADER_BYTES + bext.bodyBytes());
        long riffLimit = MAX_RIFF_SIZE - (headerBytes - 8) - 1;
        long dataLimit = Math.min(dataLimitBytes, riffLimit);
        this.maxDataBytes = dataLimit - dataLimit % blockAlign;
        this.buffer = newBuffer(Math.max(1, BUFFER_BYTES / blockAlign) * blockAlign);
        writeFully(header(0), 0);
    }

    /**
     * Creates (or truncates) {@code file} and writes a WAV header for the given layout.
     *
     * @param sampleRate frames per second, 1 to {@value #MAX_SAMPLE_RATE}
     * @param channels   channels per frame, 1 to {@value #MAX_CHANNELS}
     * @param format     the sample encoding
     * @throws IllegalArgumentException if an argument is out of range
     * @throws IOException              if the file cannot be created, with a one-line message naming it
     */
    public static WavWriter create(Path file, int sampleRate, int channels, SampleFormat format)
            throws IOException {
        return create(file, sampleRate, channels, format, null, null, Long.MAX_VALUE);
    }

    /**
     * As {@link #create(Path, int, int, SampleFormat)}, reducing to PCM with {@code dither} (null: none) and,
     * when {@code bext} is given, as a Broadcast Wave file with that {@code bext} chunk before the audio.
     */
    public static WavWriter create(Path file, int sampleRate, int channels, SampleFormat format, Dither dither,
                                   BroadcastExtension bext) throws IOException {
        return create(file, sampleRate, channels, format, dither, bext, Long.MAX_VALUE);
    }

    /** As {@link #create(Path, int, int, SampleFormat)}, with the data size capped at {@code dataLimitBytes}. */
    static WavWriter create(Path file, int sampleRate, int channels, SampleFormat format, long dataLimitBytes)
            throws IOException {
        return create(file, sampleRate, channels, format, null, null, dataLimitBytes);
    }

    private static WavWriter create(Path file, int sampleRate, int channels, SampleFormat format, Dither dither,
                                    BroadcastExtension bext, long dataLimitBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException(
                    "sampleRate " + sampleRate + " is out of range: use 1 to " + MAX_SAMPLE_RATE + " Hz");
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    "channels " + channels + " is out of range: use 1 to " + MAX_CHANNELS);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot create " + file + ": its folder does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create " + file + ": permission denied", e);
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw new IOException("cannot create " + file + ": " + reason, e);
        }
        try {
            return new WavWriter(file, channel, sampleRate, channels, format, dither, bext, dataLimitBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Appends {@code frames} frames: sample {@code i} of channel {@code c} is {@code channels[c][offset + i]}.
     *
     * @param channels one array per channel; exactly as many arrays as the file has channels
     * @throws IllegalArgumentException if the arrays do not match the file or are too short
     * @throws IOException              if the writer is closed, the disk write fails, or the data would pass
     *                                  the 4 GiB RIFF limit (nothing of this call is written then)
     */
    @Override
    public void write(float[][] channels, int offset, int frames) throws IOException {
        checkWriteArguments(channels, offset, frames);
        if (closed) {
            throw new IOException(file + ": cannot write, the WAV writer is already closed");
        }
        long dataBytes = framesWritten * blockAlign;
        if ((long) frames * blockAlign > maxDataBytes - dataBytes) {
            throw new IOException(file + ": cannot write past " + framesWritten
                    + " frames, a RIFF WAV file holds at most 4 GiB of audio data");
        }
        int done = 0;
        while (done < frames) {
            if (!buffer.hasRemaining()) {
                flushBuffer();
            }
            int slice = Math.min(frames - done, buffer.remaining() / blockAlign);
            encode(channels, offset + done, slice, buffer.position());
            buffer.position(buffer.position() + slice * blockAlign);
            framesWritten += slice;
            done += slice;
        }
    }

    /** Frames written so far. */
    @Override
    public long framesWritten() {
        return framesWritten;
    }

    /**
     * Replaces the {@code bext} chunk given at creation (with loudness readings measured while writing, say);
     * it is written by {@link #close()}.
     *
     * @throws IllegalStateException if the file was created without one, or the new one is of another size
     */
    public void broadcastExtension(BroadcastExtension replacement) {
        if (bext == null || replacement.bodyBytes() != bext.bodyBytes()) {
            throw new IllegalStateException(file + ": the bext chunk can only be replaced by one of the same size");
        }
        bext = replacement;
    }

    /**
     * Rewrites the header with the final RIFF, data (and for float, fact) sizes and the {@code bext} chunk,
     * adds the pad byte an odd-sized data chunk needs, then closes the file. Calling it again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            flushBuffer();
            long dataBytes = framesWritten * blockAlign;
            long padBytes = dataBytes & 1;
            if (padBytes != 0) {
                writeFully(ByteBuffer.allocate(1), headerBytes + dataBytes);
            }
            writeFully(header(dataBytes), 0);
        }
    }

    /**
     * Converts one sample to a signed integer of {@code bits} bits: scales by 2<sup>bits-1</sup>, rounds half
     * away from zero and clamps to the integer range. NaN becomes 0.
     */
    @RealTime
    public static int quantize(float sample, int bits) {
        double scaled = sample * (double) (1L << (bits - 1));
        int max = (1 << (bits - 1)) - 1;
        int min = -max - 1;
        if (scaled >= max) {
            return max;
        }
        if (scaled <= min) {
            return min;
        }
        return (int) (scaled + Math.copySign(0.5, scaled));
    }

    private void checkWriteArguments(float[][] channels, int offset, int frames) {
        if (channels == null) {
            throw new IllegalArgumentException("channels is null");
        }
        if (channels.length != channelCount) {
            throw new IllegalArgumentException("channels has " + channels.length + " arrays but the file has "
                    + channelCount + " channel" + (channelCount == 1 ? "" : "s"));
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        if (frames < 0) {
            throw new IllegalArgumentException("frames " + frames + " is negative");
        }
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] == null) {
                throw new IllegalArgumentException("channels[" + c + "] is null");
            }
            if ((long) offset + frames > channels[c].length) {
                throw new IllegalArgumentException("channels[" + c + "] has " + channels[c].length
                        + " samples, too few for offset " + offset + " + frames " + frames);
            }
        }
    }

    /** Encodes the frames interleaved into the buffer from byte {@code start}. */
    private void encode(float[][] channels, int offset, int frames, int start) {
        switch (format) {
            case PCM_16 -> encodePcm16(channels, offset, frames, start);
            case PCM_24 -> encodePcm24(channels, offset, frames, start);
            case FLOAT_32 -> encodeFloat32(channels, offset, frames, start);
        }
    }

    private void encodePcm16(float[][] channels, int offset, int frames, int start) {
        for (int c = 0; c < channelCount; c++) {
            float[] samples = channels[c];
            int position = start + c * 2;
            for (int i = 0; i < frames; i++, position += blockAlign) {
                buffer.putShort(position, (short) dither.quantize(c, samples[offset + i], 16));
            }
        }
    }

    private void encodePcm24(float[][] channels, int offset, int frames, int start) {
        byte[] bytes = buffer.array();
        for (int c = 0; c < channelCount; c++) {
            float[] samples = channels[c];
            int position = start + c * 3;
            for (int i = 0; i < frames; i++, position += blockAlign) {
                int value = dither.quantize(c, samples[offset + i], 24);
                bytes[position] = (byte) value;
                bytes[position + 1] = (byte) (value >> 8);
                bytes[position + 2] = (byte) (value >> 16);
            }
        }
    }

    private void encodeFloat32(float[][] channels, int offset, int frames, int start) {
        for (int c = 0; c < channelCount; c++) {
            float[] samples = channels[c];
            int position = start + c * 4;
            for (int i = 0; i < frames; i++, position += blockAlign) {
                buffer.putFloat(position, samples[offset + i]);
            }
        }
    }

    /** The header for {@code dataBytes} of audio: RIFF, fmt, fact (float), bext (Broadcast Wave), data. */
    private ByteBuffer header(long dataBytes) {
        ByteBuffer header = newBuffer(headerBytes);
        putTag(header, "RIFF");
        header.putInt((int) (headerBytes - 8 + dataBytes + (dataBytes & 1)));
        putTag(header, "WAVE");
        putTag(header, "fmt ");
        header.putInt(format.isFloat() ? 18 : 16);
        header.putShort((short) format.wavFormatTag());
        header.putShort((short) channelCount);
        header.putInt(sampleRate);
        header.putInt(sampleRate * blockAlign);
        header.putShort((short) blockAlign);
        header.putShort((short) format.bitsPerSample());
        if (format.isFloat()) {
            header.putShort((short) 0);
            putTag(header, "fact");
            header.putInt(4);
            header.putInt((int) (dataBytes / blockAlign));
        }
        if (bext != null) {
            putTag(header, "bext");
            header.putInt(bext.bodyBytes());
            header.put(bext.encode());
        }
        putTag(header, "data");
        header.putInt((int) dataBytes);
        return header.flip();
    }

    private static void putTag(ByteBuffer header, String tag) {
        header.put(tag.getBytes(StandardCharsets.US_ASCII));
    }

    private void writeFully(ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        int bytes = buffer.remaining();
        writeFully(buffer, headerBytes + bytesOnDisk);
        bytesOnDisk += bytes;
        buffer.clear();
    }

    private static ByteBuffer newBuffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
