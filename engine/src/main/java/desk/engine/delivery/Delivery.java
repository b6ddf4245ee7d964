package desk.engine.delivery;

import desk.engine.Limits;
import desk.engine.dsp.Decibels;
import desk.engine.fx.Limiter;
import desk.engine.insert.Processor;
import desk.engine.io.AudioSink;
import desk.engine.io.BroadcastExtension;
import desk.engine.io.Dither;
import desk.engine.io.FlacWriter;
import desk.engine.io.Resampler;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavReader;
import desk.engine.io.WavWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Delivers a render to a file: WAV, Broadcast Wave or FLAC, converted to the file's sample rate when it differs
 * (by {@link Resampler}), reduced to its bits with dither, measured as it is written. With a loudness target
 * the mix is first rendered (and converted) to a 32-bit float file beside the delivery and measured, so that
 * the limiter works at the file's rate; then it is played through a gain and Desk's true-peak limiter (at the
 * ceiling) and measured again, the gain corrected by what the limiter took (a secant step), until the
 * integrated loudness is within {@value #LOUDNESS_TOLERANCE} LU of the target (at most {@value #MAX_PASSES}
 * passes); the last pass is written. The limiter's lookahead is taken out, so the delivery starts on the mix's first sample. The float
 * file is deleted afterwards, whatever happens.
 * <p>
 * Threads: any one thread at a time (it blocks on disk and renders).
 */
public final class Delivery {
    /** How close to the target the integrated loudness is brought, LU. */
    public static final double LOUDNESS_TOLERANCE = 0.02;
    /** Most passes over the mix to meet a loudness target. */
    public static final int MAX_PASSES = 12;
    /**
     * The least loudness a dB of gain is taken to add: the limiter takes most of a gain that drives it hard, so
     * each pass corrects the gain by the miss over what the last dB of gain did (a secant step), at most
     * {@code 1 / MIN_SLOPE} times the miss.
     */
    private static final double MIN_SLOPE = 0.05;
    /** Who made the file, for a Broadcast Wave file. */
    public static final String ORIGINATOR = "Desk";
    private static final int BLOCK = Math.min(1024, Limits.MAX_BLOCK);

    /** Receives the blocks of a render: {@code samples[c][0..frames)}. */
    @FunctionalInterface
    public interface Block {
        /** Takes one block. */
        void accept(float[][] samples, int frames) throws IOException;
    }

    /** A render of the mix: plays it, block by block, into the given receiver. */
    @FunctionalInterface
    public interface Mix {
        /** Renders the mix into {@code blocks}. */
        void renderInto(Block blocks) throws IOException;
    }

    private Delivery() {
    }

    /**
     * Renders {@code mix} ({@code channels} channels at {@code sampleRate}) into {@code file} as {@code spec}
     * asks; {@code made} is the origination date and time written into a Broadcast Wave file.
     *
     * @throws IOException              if a file cannot be written or read back, in one line naming it
     * @throws IllegalArgumentException if a loudness target is asked of a silent mix
     */
    public static DeliveryReport deliver(Path file, int sampleRate, int channels, DeliverySpec spec, Mix mix,
                                         Instant made) throws IOException {
        int fileRate = spec.sampleRate() == 0 ? sampleRate : spec.sampleRate();
        BroadcastExtension bext = spec.container() == Container.BWF
                ? bext(spec, sampleRate, fileRate, channels, made) : null;
        if (!spec.mastered()) {
            LoudnessTrace trace = new LoudnessTrace(fileRate, channels);
            AudioSink sink = converted(measured(writer(file, fileRate, channels, spec, bext), trace, bext), file,
                    sampleRate, fileRate, channels);
            try (sink) {
                mix.renderInto((samples, frames) -> sink.write(samples, 0, frames));
            }
            return report(file, fileRate, spec, sink.framesWritten(), 0, 0, 0, trace);
        }
        Path parent = file.toAbsolutePath().getParent();
        Path unmastered = Files.createTempFile(parent, "." + file.getFileName() + ".", ".unmastered.wav");
        try {
            LoudnessTrace mixed = new LoudnessTrace(fileRate, channels);
            AudioSink pre = converted(measured(WavWriter.create(unmastered, fileRate, channels, SampleFormat.FLOAT_32),
                    mixed, null), unmastered, sampleRate, fileRate, channels);
            try (pre) {
                mix.renderInto((samples, frames) -> pre.write(samples, 0, frames));
            }
            double gainDb = 0;
            int passes = 0;
            if (!Double.isNaN(spec.loudnessLufs())) {
                if (!Double.isFinite(mixed.integratedLufs())) {
                    throw new IllegalArgumentException(file + ": the mix is silent (below the -70 LUFS gate):"
                            + " there is no loudness to bring to " + spec.loudnessLufs() + " LUFS");
                }
                gainDb = spec.loudnessLufs() - mixed.integratedLufs();
                double lastGain = 0;
                double lastReached = mixed.integratedLufs();
                for (passes = 1; passes < MAX_PASSES; passes++) {
                    double reached = master(unmastered, channels, fileRate, gainDb, spec.ceiling(), null)
                            .trace().integratedLufs();
                    if (Math.abs(reached - spec.loudnessLufs()) <= LOUDNESS_TOLERANCE) {
                        break;
                    }
                    double slope = (reached - lastReached) / (gainDb - lastGain);
                    lastGain = gainDb;
                    lastReached = reached;
                    gainDb += (spec.loudnessLufs() - reached) / (Double.isFinite(slope)
                            ? Math.max(MIN_SLOPE, Math.min(1, slope)) : 1);
                }
            }
            LoudnessTrace trace = new LoudnessTrace(fileRate, channels);
            AudioSink sink = measured(writer(file, fileRate, channels, spec, bext), trace, bext);
            Mastered mastered;
            try (sink) {
                mastered = master(unmastered, channels, fileRate, gainDb, spec.ceiling(), sink);
            }
            return report(file, fileRate, spec, sink.framesWritten(), gainDb, mastered.reductionDb(),
                    passes, trace);
        } finally {
            Files.deleteIfExists(unmastered);
        }
    }

    /** The loudness trace of one pass through the gain and limiter, and the limiter's deepest reduction. */
    private record Mastered(LoudnessTrace trace, double reductionDb) {
    }

    /**
     * Plays the unmastered mix through {@code gainDb} and the limiter at {@code ceilingDbtp} into {@code sink}
     * (which measures what it writes), or, without one, only measures it; the limiter's latency is taken out.
     */
    private static Mastered master(Path unmastered, int channels, int sampleRate, double gainDb, double ceilingDbtp,
                                   AudioSink sink) throws IOException {
        double[] values = Limiter.TYPE.initialValues();
        values[Limiter.TYPE.indexOf("ceiling")] = ceilingDbtp;
        Processor limiter = Limiter.TYPE.create(sampleRate, channels, values);
        int latency = limiter.latency();
        LoudnessTrace trace = new LoudnessTrace(sampleRate, channels);
        float gain = (float) Decibels.toGain(gainDb);
        float[][] block = new float[channels][BLOCK];
        double reduction = 0;
        try (WavReader.Stream in = WavReader.stream(unmastered)) {
            long length = in.info().frames();
            long toSkip = latency;
            for (long read = 0; read < length + latency; ) {
                int count = (int) Math.min(BLOCK, length + latency - read);
                int fromFile = (int) Math.max(0, Math.min(count, length - read));
                if (fromFile > 0) {
                    in.read(read, fromFile, block, 0);
                }
                for (float[] channel : block) {
                    for (int i = 0; i < fromFile; i++) {
                        channel[i] *= gain;
                    }
                    Arrays.fill(channel, fromFile, count, 0f);
                }
                limiter.rtProcess(block, count, null);
                reduction = Math.max(reduction, limiter.gainReductionDb());
                read += count;
                int skip = (int) Math.min(count, toSkip);
                toSkip -= skip;
                if (count > skip) {
                    if (sink == null) {
                        trace.add(block, skip, count - skip);
                    } else {
                        sink.write(block, skip, count - skip);
                    }
                }
            }
        }
        return new Mastered(trace, reduction);
    }

    /** The file's writer: FLAC, or WAV with the bext chunk when there is one. */
    private static AudioSink writer(Path file, int fileRate, int channels, DeliverySpec spec, BroadcastExtension bext)
            throws IOException {
        Dither dither = Dither.of(spec.dither(), channels);
        return spec.container() == Container.FLAC
                ? FlacWriter.create(file, fileRate, channels, spec.sampleFormat(), dither)
                : WavWriter.create(file, fileRate, channels, spec.sampleFormat(), dither, bext);
    }

    /**
     * {@code writer} behind what measures the audio on its way in, into {@code trace}; as it is closed, a
     * Broadcast Wave file's loudness fields get the readings.
     */
    private static AudioSink measured(AudioSink writer, LoudnessTrace trace, BroadcastExtension bext) {
        return new AudioSink() {
            @Override
            public void write(float[][] samples, int offset, int frames) throws IOException {
                trace.add(samples, offset, frames);
                writer.write(samples, offset, frames);
            }

            @Override
            public long framesWritten() {
                return writer.framesWritten();
            }

            @Override
            public void close() throws IOException {
                if (bext != null && writer instanceof WavWriter wav) {
                    wav.broadcastExtension(bext.withLoudness(trace.integratedLufs(), trace.loudnessRangeLu(),
                            trace.truePeakDbtp(), trace.maxMomentaryLufs(), trace.maxShortTermLufs()));
                }
                writer.close();
            }
        };
    }

    /**
     * {@code sink} (writing {@code file}), behind a resampler when the rates differ; when the resampler cannot be
     * made, the file is closed and deleted.
     */
    private static AudioSink converted(AudioSink sink, Path file, int from, int to, int channels) throws IOException {
        if (from == to) {
            return sink;
        }
        try {
            return Resampler.create(sink, from, to, channels);
        } catch (IOException e) {
            sink.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The bext chunk: the file's coding, and its time reference in samples of the file's rate. */
    private static BroadcastExtension bext(DeliverySpec spec, int sampleRate, int fileRate, int channels,
                                           Instant made) {
        var when = made.atOffset(ZoneOffset.UTC);
        int bits = spec.sampleFormat().isFloat() ? 32 : spec.sampleFormat().bitsPerSample();
        String history = "A=PCM,F=" + fileRate + ",W=" + bits + ",M=" + mode(channels) + ",T=" + ORIGINATOR
                + (fileRate == sampleRate ? "" : " from " + sampleRate + " Hz by libsoxr")
                + (spec.dither() == Dither.Kind.NONE ? "" : " " + spec.dither().label() + " dither") + "\r\n";
        long timeReference = Math.round(spec.timeReference() * (double) fileRate / sampleRate);
        return new BroadcastExtension(spec.description(), ORIGINATOR, "", when.format(DateTimeFormatter.ISO_LOCAL_DATE),
                when.format(DateTimeFormatter.ofPattern("HH:mm:ss")), timeReference, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, history);
    }

    private static String mode(int channels) {
        return channels == 1 ? "mono" : channels == 2 ? "stereo" : "multichannel";
    }

    private static DeliveryReport report(Path file, int sampleRate, DeliverySpec spec, long frames, double gainDb,
                                         double reductionDb, int passes, LoudnessTrace trace) {
        return new DeliveryReport(file, spec, sampleRate, frames, gainDb, reductionDb, passes, trace.integratedLufs(),
                trace.loudnessRangeLu(), trace.truePeakDbtp(), trace.samplePeakDbfs(), trace.maxMomentaryLufs(),
                trace.maxShortTermLufs(), trace.history());
    }

    /**
     * The moment a delivery is made, for a Broadcast Wave file: the time given by the environment variable
     * {@code SOURCE_DATE_EPOCH} (seconds since 1970, as reproducible builds use it), so that repeated renders
     * give identical files, or else now.
     */
    public static Instant originationInstant() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.strip().matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
        }
        return Instant.now();
    }
}
