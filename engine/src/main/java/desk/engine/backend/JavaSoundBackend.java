package desk.engine.backend;

import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.spi.MixerProvider;

/**
 * The engine in real time on a Java Sound output line ({@code javax.sound.sampled}): a thread runs the engine
 * one period at a time, converts the stereo master to the line's format and writes it to the line, whose
 * blocking write is the clock. There is no capture: the capture ports read silence.
 * <p>
 * The device is the first Java Sound mixer, in Java Sound's order, whose stereo {@link SourceDataLine} plays
 * the engine's sample rate and mixes (takes more than one line at a time, so other programs keep sounding);
 * failing that, the first that plays it at all. Java Sound's own property {@value #DEVICE_PROPERTY}
 * ({@code provider class#device name}, either part may be left out) narrows the choice to the devices it
 * names. The format is 32-bit float when the device takes it, else 24-bit, else 16-bit signed little-endian
 * PCM. PCM is scaled by 2<sup>bits-1</sup>, rounded half away from zero and clipped to full scale
 * ({@link WavWriter#quantize}); float is clipped to -1..1. NaN plays as 0.
 * <p>
 * The line's buffer holds {@value #LINE_PERIODS} periods (or what the device grants); it is filled with
 * silence before the line starts, so from the first period on every write waits for the device to play one
 * period, and the buffer is the output latency. Java Sound reports no underruns, so the thread counts them
 * from the room the line has, asked for before and after each write; a period counts one xrun when the whole
 * buffer was free before its write (the line played everything while the engine computed), or when right
 * after its write the line holds no more than that period (it played everything older while the writer
 * waited in the write and woke too late; with a buffer larger than a period only). The second also counts a
 * line that came within a period of running dry. A device that reports room only in large steps may hide an
 * underrun shorter than a step.
 * <p>
 * The thread allocates nothing, logs nothing and lets nothing escape. If the line fails while playing (its
 * write throws, or takes less than a period without having been stopped: the device went away) the thread
 * stops, the engine stands still and takes commands from the control thread, and one line goes to the
 * {@link #onEvent} listener.
 * <p>
 * Threads: {@link #open}, {@link #start} and {@link #close} on the control thread; the writer thread is the
 * engine's audio thread, and calls the {@link #onEvent} listener if the line fails; the other methods on any
 * thread.
 */
public final class JavaSoundBackend implements AutoCloseable {
    /** Periods the line's buffer is asked to hold. */
    public static final int LINE_PERIODS = 4;
    /** Java Sound's system property naming the default output device: {@code provider class#device name}. */
    public static final String DEVICE_PROPERTY = "javax.sound.sampled.SourceDataLine";
    private static final int CHANNELS = 2;
    private static final List<SampleFormat> PREFERENCE =
            List.of(SampleFormat.FLOAT_32, SampleFormat.PCM_24, SampleFormat.PCM_16);
    private static final String FORMATS = "32-bit float or 24- or 16-bit little-endian PCM";

    private final AudioCallback engine;
    private final String deviceName;
    private final SourceDataLine line;
    private final SampleFormat sampleFormat;
    private final int periodFrames;
    private final int bufferBytes;
    private final float[][] capture = new float[0][];
    private final float[][] playback = new float[CHANNELS][];
    private final byte[] bytes;
    private volatile boolean running;
    private volatile long periods;
    private volatile long xruns;
    private volatile Consumer<String> events = message -> { };
    private volatile String failure;
    private Throwable writeFailure;
    private int shortWrite = -1;
    private Thread thread;
    private CountDownLatch stopped;
    private boolean closed;

    /** A device that plays the engine's rate: the mixer, the formats it takes (best first), and whether it mixes. */
    private record Device(Mixer mixer, List<SampleFormat> formats, boolean mixes) {
    }

    private JavaSoundBackend(AudioCallback engine, String deviceName, SourceDataLine line, SampleFormat sampleFormat,
                             int periodFrames) {
        this.engine = engine;
        this.deviceName = deviceName;
        this.line = line;
        this.sampleFormat = sampleFormat;
        this.periodFrames = periodFrames;
        int frameBytes = line.getFormat().getFrameSize();
        this.bufferBytes = line.getBufferSize() / frameBytes * frameBytes;
        this.bytes = new byte[periodFrames * frameBytes];
        playback[0] = new float[periodFrames];
        playback[1] = new float[periodFrames];
    }

    /**
     * Finds the Java Sound output device for {@code engine}'s sample rate and opens its line for periods of
     * {@code periodFrames} frames; {@link #start} plays. Throws {@link EngineException} with one line saying
     * what was looked for and why nothing fits when there is no such device or its line will not open.
     */
    public static JavaSoundBackend open(AudioCallback engine, int periodFrames) {
        if (periodFrames < 1 || periodFrames > Limits.MAX_PERIOD) {
            throw new IllegalArgumentException("period " + periodFrames + " frames: must be 1.." + Limits.MAX_PERIOD);
        }
        int rate = engine.sampleRate();
        String named = System.getProperty(DEVICE_PROPERTY, "").strip();
        String among = named.isEmpty() ? "" : " named by " + DEVICE_PROPERTY + "=" + named;
        List<Device> devices = new ArrayList<>();
        List<String> unfit = new ArrayList<>();
        try {
            for (Mixer mixer : mixers(named)) {
                Device device = device(mixer, rate);
                if (device != null) {
                    devices.add(device);
                } else if (mixer.getSourceLineInfo(new Line.Info(SourceDataLine.class)).length > 0) {
                    unfit.add("\"" + mixer.getMixerInfo().getName() + "\"");
                }
            }
        } catch (RuntimeException | ServiceConfigurationError e) {
            throw new EngineException("Java Sound could not list its devices: " + oneLine(e));
        }
        if (devices.isEmpty()) {
            throw new EngineException(unfit.isEmpty()
                    ? "Java Sound has no output device" + among + " (looked for one playing stereo at " + rate
                            + " Hz in " + FORMATS + ")"
                    : "no Java Sound output device" + among + " plays stereo at " + rate + " Hz in " + FORMATS
                            + " (found " + String.join(", ", unfit) + ")");
        }
        devices.sort((a, b) -> Boolean.compare(b.mixes(), a.mixes()));
        String refusal = null;
        for (Device device : devices) {
            String name = device.mixer().getMixerInfo().getName();
            for (SampleFormat format : device.formats()) {
                try {
                    SourceDataLine line = (SourceDataLine) device.mixer().getLine(lineInfo(format, rate));
                    AudioFormat audio = audioFormat(format, rate);
                    line.open(audio, LINE_PERIODS * periodFrames * audio.getFrameSize());
                    return new JavaSoundBackend(engine, name, line, format, periodFrames);
                } catch (LineUnavailableException | RuntimeException e) {
                    if (refusal == null) {
                        refusal = "Java Sound output \"" + name + "\" would not open a line: " + oneLine(e);
                    }
                }
            }
        }
        throw new EngineException(refusal);
    }

    /**
     * Java Sound's devices in its order; if {@code named} ({@code provider class#device name}) is not empty,
     * only those of the provider and with the name it gives.
     */
    private static List<Mixer> mixers(String named) {
        List<Mixer> mixers = new ArrayList<>();
        if (named.isEmpty()) {
            for (Mixer.Info info : AudioSystem.getMixerInfo()) {
                mixers.add(AudioSystem.getMixer(info));
            }
            return mixers;
        }
        int hash = named.indexOf('#');
        String provider = (hash < 0 ? named : named.substring(0, hash)).strip();
        String name = hash < 0 ? "" : named.substring(hash + 1).strip();
        for (MixerProvider candidate : ServiceLoader.load(MixerProvider.class)) {
            if (provider.isEmpty() || candidate.getClass().getName().equals(provider)) {
                for (Mixer.Info info : candidate.getMixerInfo()) {
                    if (name.isEmpty() || info.getName().equals(name)) {
                        mixers.add(candidate.getMixer(info));
                    }
                }
            }
        }
        return mixers;
    }

    /** The formats {@code mixer} plays stereo at {@code rate}, best first, or null if none. */
    private static Device device(Mixer mixer, int rate) {
        List<SampleFormat> formats = new ArrayList<>();
        boolean mixes = false;
        for (SampleFormat format : PREFERENCE) {
            DataLine.Info info = lineInfo(format, rate);
            if (mixer.isLineSupported(info)) {
                formats.add(format);
                mixes |= mixer.getMaxLines(info) != 1;
            }
        }
        return formats.isEmpty() ? null : new Device(mixer, formats, mixes);
    }

    private static DataLine.Info lineInfo(SampleFormat format, int rate) {
        return new DataLine.Info(SourceDataLine.class, audioFormat(format, rate));
    }

    /** The stereo little-endian Java Sound format of {@code format} at {@code rate}. */
    private static AudioFormat audioFormat(SampleFormat format, int rate) {
        AudioFormat.Encoding encoding = format.isFloat() ? AudioFormat.Encoding.PCM_FLOAT
                : AudioFormat.Encoding.PCM_SIGNED;
        return new AudioFormat(encoding, rate, format.bitsPerSample(), CHANNELS, CHANNELS * format.bytesPerSample(),
                rate, false);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }

    /**
     * Fills the line's buffer with silence, starts the line and the writer thread. Refused once closed; does
     * nothing while playing.
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Java Sound output \"" + deviceName + "\" is closed");
        }
        if (thread != null) {
            return;
        }
        int frameBytes = line.getFormat().getFrameSize();
        int left = bufferBytes;
        while (left > 0) {
            int chunk = Math.min(Math.min(left, bytes.length), line.available() / frameBytes * frameBytes);
            if (chunk == 0 || line.write(bytes, 0, chunk) < chunk) {
                break;
            }
            left -= chunk;
        }
        line.start();
        running = true;
        stopped = new CountDownLatch(1);
        engine.setAudioThreadRunning(true);
        CountDownLatch latch = stopped;
        thread = AudioThreads.start("desk-javasound-audio", () -> run(latch));
    }

    /** Periods processed so far. */
    public long periods() {
        return periods;
    }

    /** Periods the line ran dry (or came within a period of it), counted as the class comment says. */
    public long xruns() {
        return xruns;
    }

    /** The period size in frames. */
    public int periodFrames() {
        return periodFrames;
    }

    /** The line's buffer in frames: the output latency the line adds. */
    public int bufferFrames() {
        return bufferBytes / line.getFormat().getFrameSize();
    }

    /** The format the line plays. */
    public AudioFormat format() {
        return line.getFormat();
    }

    /** The name of the Java Sound device (mixer) the line belongs to. */
    public String deviceName() {
        return deviceName;
    }

    /** One line naming the device, the format, the sample rate, the period and the buffer. */
    public String describe() {
        String format = sampleFormat.isFloat() ? "32-bit float" : sampleFormat.bitsPerSample() + "-bit PCM";
        return String.format(Locale.ROOT, "Java Sound output \"%s\" (%s) at %d Hz, %d-frame periods, %d-frame buffer",
                deviceName, format, engine.sampleRate(), periodFrames, bufferFrames());
    }

    /** The line saying how the line failed while playing, or null while it has not. */
    public String failure() {
        return failure;
    }

    /** Receives one line if the line fails while playing, on the writer thread, after it has stopped. */
    public void onEvent(Consumer<String> listener) {
        events = listener;
    }

    private void run(CountDownLatch latch) {
        boolean failed;
        try {
            failed = rtPlay();
        } finally {
            latch.countDown();
        }
        if (failed) {
            engine.setAudioThreadRunning(false);
            String why = writeFailure != null ? oneLine(writeFailure)
                    : "it took " + shortWrite + " of " + bytes.length + " bytes of a period";
            failure = "Java Sound output \"" + deviceName + "\" failed (" + why
                    + "): the engine stands still; the session is kept";
            events.accept(failure);
        }
    }

    /** Plays until stopped; true if the line failed instead. */
    @RealTime
    private boolean rtPlay() {
        try {
            while (running) {
                engine.rtProcess(capture, playback, periodFrames);
                engine.rtMidiOut().rtClearOutgoing();
                periods = periods + 1;
                rtEncode(playback, periodFrames, sampleFormat, bytes);
                boolean dry = line.available() >= bufferBytes;
                int written = line.write(bytes, 0, bytes.length);
                if (!running) {
                    break;
                }
                if (written < bytes.length) {
                    shortWrite = written;
                    return true;
                }
                if (dry || bufferBytes > bytes.length && bufferBytes - line.available() <= bytes.length) {
                    xruns = xruns + 1;
                }
            }
            return false;
        } catch (Throwable failure) {
            writeFailure = failure;
            return true;
        }
    }

    /**
     * Interleaves {@code frames} frames of {@code channels} into {@code out} as little-endian {@code format}:
     * PCM rounded and clipped as {@link WavWriter#quantize} does, float clipped to -1..1, NaN as 0.
     */
    @RealTime
    static void rtEncode(float[][] channels, int frames, SampleFormat format, byte[] out) {
        int sampleBytes = format.bytesPerSample();
        int frameBytes = channels.length * sampleBytes;
        for (int c = 0; c < channels.length; c++) {
            float[] samples = channels[c];
            int at = c * sampleBytes;
            for (int i = 0; i < frames; i++, at += frameBytes) {
                int value;
                if (format == SampleFormat.FLOAT_32) {
                    float x = samples[i];
                    value = Float.floatToRawIntBits(x >= 1f ? 1f : x <= -1f ? -1f : x == x ? x : 0f);
                } else {
                    value = WavWriter.quantize(samples[i], format.bitsPerSample());
                }
                out[at] = (byte) value;
                out[at + 1] = (byte) (value >> 8);
                if (sampleBytes > 2) {
                    out[at + 2] = (byte) (value >> 16);
                }
                if (sampleBytes > 3) {
                    out[at + 3] = (byte) (value >> 24);
                }
            }
        }
    }

    /**
     * Stops the writer thread (stopping the line, so a write in progress returns), waits for it, and releases
     * the line. An interrupt while waiting does not cut the wait short (the engine must know the audio thread
     * has stopped); it is kept for the caller. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread != null) {
            running = false;
            line.stop();
            AudioThreads.awaitStop(stopped);
            engine.setAudioThreadRunning(false);
            thread = null;
        }
        line.flush();
        line.close();
    }
}
