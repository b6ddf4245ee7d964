package desk.engine.fx;

import desk.engine.Limits;
import desk.engine.RealTime;
import desk.engine.insert.Processor;
import desk.engine.insert.ProcessorBatch;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the EQs of many strips side by side: while a span is processed, each strip offers its steady EQs (no
 * section gliding) instead of running them; {@link #rtFlush} then runs them all, one channel per vector lane
 * ({@link EqLanes}), a group of lanes at a time. EQs run together only when their running sections take the
 * same loops (as many sections, the same quads of peaking bands), so every channel gets the samples it would
 * get alone, bit for bit; a last group short of lanes is filled with silent ones.
 * <p>
 * Without the {@code jdk.incubator.vector} module (the JVM started without {@code --add-modules
 * jdk.incubator.vector}), or on a processor whose vectors hold fewer than four doubles, a batch takes nothing,
 * and every EQ runs on its own, to the same samples.
 * <p>
 * The vector loops allocate until the JIT compiler has compiled them, so the first EQ made in a JVM starts a
 * thread that runs them on scratch data until they allocate nothing; until then every batch takes nothing. As
 * a batch gives the samples each EQ would give alone, a render is the same whenever that happens.
 * <p>
 * Threads: made on the control thread ({@link #create}); {@code rt} methods on the audio thread only.
 */
public final class EqBatch implements ProcessorBatch {
    /** The system property that, true when an engine is made, has its EQs run one at a time. */
    public static final String ONE_AT_A_TIME = "desk.eq.oneAtATime";
    /** Most EQs one batch holds in a span; any more run on their own. */
    static final int CAPACITY = 4096;
    /** Most channels side by side: a batch's buffers are made for as many, before the vector API is loaded. */
    static final int MOST_LANES = 8;
    /** Whether the JVM has the vector API, checked once without loading it. */
    private static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Longest the loops are run to get them compiled. */
    private static final long WARM_UP_NANOS = 30_000_000_000L;
    private static final AtomicBoolean WARMING = new AtomicBoolean();
    private static final CountDownLatch WARMED = new CountDownLatch(1);
    private static final AtomicLong LANES_RUN = new AtomicLong();
    /** Channels side by side once the loops are compiled, batches taking EQs from then on; 0 until then. */
    private static volatile int compiledLanes;

    private final boolean taking;
    private final Eq[] eqs;
    private final float[][][] ios;
    private final int[] counts;
    private final int[] peakQuads;
    private final boolean[] placed;
    private int size;
    private final double[] interleaved;
    private final double[] coefficients;
    private final double[] states;
    private final Eq[] laneEq;
    private final int[] laneChannel;
    private final float[][] laneSamples;
    private final float[] silence = new float[Limits.MAX_BLOCK];
    private int filled;


    private EqBatch(boolean taking) {
        this.taking = taking;
        int entries = taking ? CAPACITY : 0;
        int lanes = taking ? MOST_LANES : 0;
        this.eqs = new Eq[entries];
        this.ios = new float[entries][][];
        this.counts = new int[entries];
        this.peakQuads = new int[entries];
        this.placed = new boolean[entries];
        this.interleaved = new double[Limits.MAX_BLOCK * lanes];
        this.coefficients = new double[Eq.SECTIONS * EqLanes.COEFFICIENTS * lanes];
        this.states = new double[Eq.SECTIONS * 2 * lanes];
        this.laneEq = new Eq[lanes];
        this.laneChannel = new int[lanes];
        this.laneSamples = new float[lanes][];
    }

    /**
     * A batch for an audio graph: running vectors where the JVM has them, else taking nothing (and taking nothing
     * when the system property {@value #ONE_AT_A_TIME} is true, to compare). Control thread.
     */
    public static EqBatch create() {
        return new EqBatch(VECTORS && !Boolean.getBoolean(ONE_AT_A_TIME));
    }

    /**
     * Starts getting the vector loops compiled, on a thread of its own, unless that has started already: the
     * first EQ made in the JVM calls it, so that a session without EQs never spends the second and a half it
     * takes. Control thread.
     */
    static void compileLoops() {
        if (VECTORS && WARMING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("desk-eq-compile").start(EqBatch::warmUp);
        }
    }

    /**
     * Gets the vector loops compiled, if no EQ has yet, and waits until batches take EQs (the vector API is there
     * and its loops are compiled) or that has failed, for at most {@code timeout}; returns whether they take them.
     * For measurements and tests, which want the batches at work from their start. Any thread but the audio
     * thread.
     */
    public static boolean awaitTaking(long timeout, TimeUnit unit) throws InterruptedException {
        if (!VECTORS) {
            return false;
        }
        compileLoops();
        WARMED.await(timeout, unit);
        return compiledLanes > 0;
    }

    /**
     * How many channels a batch runs side by side: the lanes of the processor's widest vector of doubles (8 with
     * AVX-512, 4 with AVX2), or 0 where batches take nothing. Any thread.
     */
    public static int width() {
        return VECTORS && !Boolean.getBoolean(ONE_AT_A_TIME) && fits() ? EqLanes.LANES : 0;
    }

    /** Whether the processor's vectors hold a multiple of four doubles, at most {@link #MOST_LANES}. */
    private static boolean fits() {
        return EqLanes.LANES % 4 == 0 && EqLanes.LANES <= MOST_LANES;
    }

    /**
     * Channels every batch of the JVM has run side by side so far, counting the silent ones that fill a group:
     * for benchmarks and tests. Any thread.
     */
    public static long lanesRun() {
        return LANES_RUN.get();
    }

    /**
     * Takes {@code processor} to run over {@code io} at the next {@link #rtFlush}, if it is an EQ with no
     * section gliding and the batch has room; returns false if it did not take it (run it now).
     */
    @Override
    @RealTime
    public boolean rtOffer(Processor processor, float[][] io) {
        if (!taking || compiledLanes == 0 || !(processor instanceof Eq eq) || size == eqs.length) {
            return false;
        }
        int count = eq.rtSteadySections();
        if (count <= 0) {
            return false;
        }
        int quads = 0;
        for (int q = 0; 4 * q + 4 <= count; q++) {
            if (EqKernels.rtPeaks(eq.running(), 4 * q)) {
                quads |= 1 << q;
            }
        }
        eqs[size] = eq;
        ios[size] = io;
        counts[size] = count;
        peakQuads[size] = quads;
        placed[size] = false;
        size++;
        return true;
    }

    /** Runs every EQ taken since the last flush over its first {@code frames} frames, then lets them go. */
    @Override
    @RealTime
    public void rtFlush(int frames) {
        try {
            rtRunAll(frames);
        } finally {
            for (int e = 0; e < size; e++) {
                eqs[e].rtSettleStates();
                eqs[e] = null;
                ios[e] = null;
            }
            size = 0;
        }
    }

    /** Runs the EQs taken, group by group of those that take the same loops. */
    @RealTime
    private void rtRunAll(int frames) {
        for (int first = 0; first < size; first++) {
            if (placed[first]) {
                continue;
            }
            int count = counts[first];
            int quads = peakQuads[first];
            filled = 0;
            for (int e = first; e < size; e++) {
                if (placed[e] || counts[e] != count || peakQuads[e] != quads) {
                    continue;
                }
                placed[e] = true;
                for (int c = 0; c < eqs[e].channels(); c++) {
                    laneEq[filled] = eqs[e];
                    laneChannel[filled] = c;
                    laneSamples[filled] = ios[e][c];
                    filled++;
                    if (filled == EqLanes.LANES) {
                        rtRunGroup(frames, count, quads);
                    }
                }
            }
            if (filled > 0) {
                rtRunGroup(frames, count, quads);
            }
        }
    }

    /** Runs the {@link #filled} lanes gathered (the rest silent) and gives each channel its samples and states. */
    @RealTime
    private void rtRunGroup(int frames, int count, int quads) {
        int lanes = EqLanes.LANES;
        for (int l = filled; l < lanes; l++) {
            laneEq[l] = null;
            laneSamples[l] = silence;
        }
        rtInterleave(frames);
        for (int l = 0; l < lanes; l++) {
            for (int k = 0; k < count; k++) {
                EqSection section = laneEq[l] == null ? null : laneEq[l].running()[k];
                int c = laneChannel[l];
                int at = k * EqLanes.COEFFICIENTS * lanes + l;
                coefficients[at] = section == null ? 0 : section.b0;
                coefficients[at + lanes] = section == null ? 0 : section.b1;
                coefficients[at + 2 * lanes] = section == null ? 0 : section.b2;
                coefficients[at + 3 * lanes] = section == null ? 0 : section.a1;
                coefficients[at + 4 * lanes] = section == null ? 0 : section.a2;
                states[2 * k * lanes + l] = section == null ? 0 : section.s1[c];
                states[(2 * k + 1) * lanes + l] = section == null ? 0 : section.s2[c];
            }
        }
        EqLanes.rtRun(interleaved, frames, coefficients, states, count, quads);
        rtDeinterleave(frames);
        for (int l = 0; l < filled; l++) {
            int c = laneChannel[l];
            for (int k = 0; k < count; k++) {
                EqSection section = laneEq[l].running()[k];
                section.s1[c] = states[2 * k * lanes + l];
                section.s2[c] = states[(2 * k + 1) * lanes + l];
            }
        }
        for (int l = 0; l < lanes; l++) {
            laneEq[l] = null;
            laneSamples[l] = null;
        }
        LANES_RUN.addAndGet(lanes);
        filled = 0;
    }

    /**
     * Copies the lanes' samples into {@link #interleaved}, frame by frame, four lanes a pass: four arrays held in
     * locals let the compiler check their bounds once, not per sample.
     */
    @RealTime
    private void rtInterleave(int frames) {
        double[] to = interleaved;
        for (int l = 0; l < EqLanes.LANES; l += 4) {
            float[] a = laneSamples[l];
            float[] b = laneSamples[l + 1];
            float[] c = laneSamples[l + 2];
            float[] d = laneSamples[l + 3];
            for (int i = 0, at = l; i < frames; i++, at += EqLanes.LANES) {
                to[at] = a[i];
                to[at + 1] = b[i];
                to[at + 2] = c[i];
                to[at + 3] = d[i];
            }
        }
    }

    /**
     * Copies {@link #interleaved} back into the lanes, rounded to float, as {@link #rtInterleave} copied it in: a
     * silent lane's zeros (its coefficients are zero) go back into the silence it read.
     */
    @RealTime
    private void rtDeinterleave(int frames) {
        double[] from = interleaved;
        for (int l = 0; l < EqLanes.LANES; l += 4) {
            float[] a = laneSamples[l];
            float[] b = laneSamples[l + 1];
            float[] c = laneSamples[l + 2];
            float[] d = laneSamples[l + 3];
            for (int i = 0, at = l; i < frames; i++, at += EqLanes.LANES) {
                a[i] = (float) from[at];
                b[i] = (float) from[at + 1];
                c[i] = (float) from[at + 2];
                d[i] = (float) from[at + 3];
            }
        }
    }

    /**
     * Runs the vector loops on scratch data until three runs in a row allocate nothing (interpreted, every vector
     * operation allocates), then lets batches take EQs; gives up after {@link #WARM_UP_NANOS}, or at once where
     * the vectors do not {@link #fits fit}, and batches then never take any. Once per JVM, on a thread of its own.
     */
    private static void warmUp() {
        if (!fits()) {
            WARMED.countDown();
            return;
        }
        int lanes = EqLanes.LANES;
        int frames = 256;
        double[] samples = new double[frames * lanes];
        double[] coefficients = new double[Eq.SECTIONS * EqLanes.COEFFICIENTS * lanes];
        double[] states = new double[Eq.SECTIONS * 2 * lanes];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + WARM_UP_NANOS;
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            long before = threads.getCurrentThreadAllocatedBytes();
            EqLanes.rtRun(samples, frames, coefficients, states, Eq.SECTIONS - 1, 1);
            quiet = threads.getCurrentThreadAllocatedBytes() == before ? quiet + 1 : 0;
        }
        compiledLanes = quiet == 3 ? lanes : 0;
        WARMED.countDown();
    }
}
