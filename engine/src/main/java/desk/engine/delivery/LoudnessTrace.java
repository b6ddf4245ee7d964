package desk.engine.delivery;

import desk.engine.dsp.Decibels;
import desk.engine.io.AudioFile;
import desk.engine.loudness.LoudnessMeter;
import desk.engine.loudness.TruePeakMeter;

import java.util.Arrays;

/**
 * Measures a stream of audio as it is delivered: integrated loudness, loudness range, maximum momentary and
 * short-term loudness (BS.1770-4, EBU Tech 3341/3342), true peak (BS.1770-4 Annex 2) and sample peak, and its
 * {@link LoudnessHistory}: the momentary and short-term loudness and the true peak every 100 ms, for a plot.
 * <p>
 * Threads: one thread at a time.
 */
public final class LoudnessTrace {
    /** Seconds between two points of the momentary and short-term series. */
    public static final double STEP_SECONDS = 0.1;
    private static final int FILE_BLOCK = 4096;

    private final LoudnessMeter loudness;
    private final TruePeakMeter truePeak;
    private final int step;
    private int intoStep;
    private double samplePeak;
    private float[] momentary = new float[64];
    private float[] shortTerm = new float[64];
    private float[] stepPeak = new float[64];
    private int points;
    private double truePeakSoFar;

    /** A trace of {@code channels} channels at {@code sampleRate}. */
    public LoudnessTrace(int sampleRate, int channels) {
        this.loudness = new LoudnessMeter(sampleRate, channels);
        this.truePeak = new TruePeakMeter(sampleRate, channels);
        this.step = (int) Math.round(sampleRate * STEP_SECONDS);
    }

    /** The trace of a whole audio file. */
    public static LoudnessTrace of(AudioFile audio) {
        LoudnessTrace trace = new LoudnessTrace(audio.sampleRate(), audio.channels());
        for (int offset = 0; offset < audio.frames(); offset += FILE_BLOCK) {
            trace.add(audio.samples(), offset, Math.min(FILE_BLOCK, audio.frames() - offset));
        }
        return trace;
    }

    /** Measures {@code frames} frames of {@code samples} from {@code offset}. */
    public void add(float[][] samples, int offset, int frames) {
        for (float[] channel : samples) {
            for (int i = offset; i < offset + frames; i++) {
                samplePeak = Math.max(samplePeak, Math.abs(channel[i]));
            }
        }
        int done = 0;
        while (done < frames) {
            int take = Math.min(frames - done, step - intoStep);
            loudness.add(samples, offset + done, take);
            truePeak.add(samples, offset + done, take);
            done += take;
            intoStep += take;
            if (intoStep == step) {
                intoStep = 0;
                record();
            }
        }
    }

    private void record() {
        if (points == momentary.length) {
            momentary = Arrays.copyOf(momentary, points * 2);
            shortTerm = Arrays.copyOf(shortTerm, points * 2);
            stepPeak = Arrays.copyOf(stepPeak, points * 2);
        }
        momentary[points] = (float) loudness.momentaryLufs();
        shortTerm[points] = (float) loudness.shortTermLufs();
        stepPeak[points] = (float) truePeak.maxTruePeakDbtp();
        truePeakSoFar = Math.max(truePeakSoFar, truePeak.maxTruePeak());
        truePeak.clearPeak();
        points++;
    }

    /** Integrated loudness so far, LUFS; -infinity for silence. */
    public double integratedLufs() {
        return loudness.integratedLufs();
    }

    /** Loudness range so far, LU. */
    public double loudnessRangeLu() {
        return loudness.loudnessRangeLu();
    }

    /** Highest momentary loudness so far, LUFS. */
    public double maxMomentaryLufs() {
        return loudness.maxMomentaryLufs();
    }

    /** Highest short-term loudness so far, LUFS. */
    public double maxShortTermLufs() {
        return loudness.maxShortTermLufs();
    }

    /** Highest true peak so far, dBTP. */
    public double truePeakDbtp() {
        return Decibels.fromGain(Math.max(truePeakSoFar, truePeak.maxTruePeak()));
    }

    /** Highest sample magnitude so far, dBFS. */
    public double samplePeakDbfs() {
        return Decibels.fromGain(samplePeak);
    }

    /** The loudness so far, step by step, and the loudness range's ends. */
    public LoudnessHistory history() {
        return new LoudnessHistory(STEP_SECONDS, Arrays.copyOf(momentary, points), Arrays.copyOf(shortTerm, points),
                Arrays.copyOf(stepPeak, points), loudness.loudnessRangeLowLufs(), loudness.loudnessRangeHighLufs());
    }
}
