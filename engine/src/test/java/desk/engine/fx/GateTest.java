package desk.engine.fx;

import desk.engine.insert.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate measured through a constant input of 1, whose output is the gain itself, keyed by tones and steps. */
class GateTest {
    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void opensAtTheThresholdAndClosesOnlyUnderTheHysteresis(int rate) {
        Processor gate = ProcessorRun.create(Gate.TYPE, rate, 2, "threshold", -30, "hysteresis", 10, "range", -60,
                "attack", 1, "release", 10, "hold", 5);
        double[] keyDb = {-40, -25, -35, -45, -35, -25, -35};
        boolean[] open = {false, true, true, false, false, true, true};
        int segment = rate / 5;
        float[][] key = new float[1][keyDb.length * segment];
        for (int s = 0; s < keyDb.length; s++) {
            float[] tone = ProcessorRun.sine(1, 1000, Math.pow(10, keyDb[s] / 20), rate, segment)[0];
            System.arraycopy(tone, 0, key[0], s * segment, segment);
        }
        float[][] gains = constant(2, key[0].length);
        ProcessorRun.process(gate, gains, twoChannels(key[0]), 6);
        for (int s = 0; s < keyDb.length; s++) {
            int settled = s * segment + segment / 2;
            for (int i = settled; i < (s + 1) * segment; i++) {
                assertEquals(open[s] ? 0 : -60, ProcessorRun.db(gains[0][i]), 0.01,
                        "key at " + keyDb[s] + " dB, segment " + s + ", frame " + i);
            }
        }
        assertArrayEquals(gains[0], gains[1], "both channels get the same gain");
    }

    @ParameterizedTest
    @ValueSource(ints = {-12, -40, -80})
    void whileClosedTheSignalIsTurnedDownByTheRange(int range) {
        int rate = 48_000;
        Processor gate = ProcessorRun.create(Gate.TYPE, rate, 1, "threshold", -20, "range", range, "release", 50);
        float[][] signal = ProcessorRun.sine(1, 440, Math.pow(10, -30 / 20.0), rate, 2 * rate);
        for (int i = 0; i < rate / 2; i++) {
            signal[0][i] *= 100;
        }
        float[][] input = FxSignals.copy(signal);
        ProcessorRun.process(gate, signal, null, 3);
        double open = ProcessorRun.db(ProcessorRun.rms(signal[0], rate / 4, rate / 2)
                / ProcessorRun.rms(input[0], rate / 4, rate / 2));
        double closed = ProcessorRun.db(ProcessorRun.rms(signal[0], 3 * rate / 2, 2 * rate)
                / ProcessorRun.rms(input[0], 3 * rate / 2, 2 * rate));
        System.out.printf("gate, range %d dB: open %.4f dB, closed %.4f dB%n", range, open, closed);
        assertEquals(0, open, 0.001, "the loud start opens it");
        assertEquals(range, closed, 0.1);
        assertEquals(-range, gate.gainReductionDb(), 0.1);
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void afterTheKeyStopsTheGateHoldsOpenForTheHoldTime(int rate) {
        for (double hold : new double[] {0, 10, 250}) {
            Processor gate = ProcessorRun.create(Gate.TYPE, rate, 1, "hold", hold, "release", 20);
            int stop = rate / 10;
            float[][] key = new float[1][rate];
            Arrays.fill(key[0], 0, stop, 0.3f);
            float[][] gains = constant(1, rate);
            ProcessorRun.process(gate, gains, key, 7);
            int lastOpen = stop;
            while (gains[0][lastOpen] == 1f) {
                lastOpen++;
            }
            double heldMilliseconds = 1000.0 * (lastOpen - stop) / rate;
            System.out.printf("gate at %d Hz, hold %.0f ms: open %.3f ms after the key stops%n", rate, hold,
                    heldMilliseconds);
            assertEquals(hold, heldMilliseconds, 1.0);
            assertTrue(gains[0][lastOpen] < 1f && gains[0][lastOpen] > 0.98f, "then it releases smoothly");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void attackAndReleaseAreTheTimeConstantsOfTheGainInDecibels(int rate) {
        double[][] attackRelease = {{10, 200}, {0.5, 5}, {100, 4000}};
        for (double[] times : attackRelease) {
            Processor gate = ProcessorRun.create(Gate.TYPE, rate, 1, "range", -60, "hold", 0,
                    "attack", times[0], "release", times[1]);
            int rise = rate / 10;
            int fall = rise + (int) (times[0] * rate / 100);
            float[][] key = new float[1][fall + (int) (times[1] * rate / 100)];
            Arrays.fill(key[0], rise, fall, 0.5f);
            float[][] gains = constant(1, key[0].length);
            ProcessorRun.process(gate, gains, key, 8);
            double attackDb = -60 * Math.exp(-1);
            double releaseDb = -60 * (1 - Math.exp(-1));
            double attack = 1000.0 * (firstFrame(gains[0], rise, true, attackDb) - rise + 1) / rate;
            double release = 1000.0 * (firstFrame(gains[0], fall, false, releaseDb) - fall + 1) / rate;
            System.out.printf("gate at %d Hz: attack %.4f ms (set %.1f), release %.3f ms (set %.0f)%n", rate, attack,
                    times[0], release, times[1]);
            assertEquals(times[0], attack, 0.05 * times[0]);
            assertEquals(times[1], release, 0.05 * times[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void aKeyOpensTheGateOnAnotherSignal(int rate) {
        float[][] quiet = ProcessorRun.sine(2, 440, Math.pow(10, -50 / 20.0), rate, rate);
        float[][] keyed = FxSignals.copy(quiet);
        ProcessorRun.process(ProcessorRun.create(Gate.TYPE, rate, 2, "range", -40), keyed,
                ProcessorRun.sine(2, 1000, 0.3, rate, rate), 9);
        float[][] unkeyed = FxSignals.copy(quiet);
        ProcessorRun.process(ProcessorRun.create(Gate.TYPE, rate, 2, "range", -40), unkeyed, null, 9);
        float[][] loud = ProcessorRun.sine(2, 440, 0.5, rate, rate);
        float[][] loudSilentKey = FxSignals.copy(loud);
        ProcessorRun.process(ProcessorRun.create(Gate.TYPE, rate, 2, "range", -40), loudSilentKey,
                new float[2][rate], 9);
        for (int c = 0; c < 2; c++) {
            double quietRms = ProcessorRun.rms(quiet[c], rate / 2, rate);
            assertEquals(0, ProcessorRun.db(ProcessorRun.rms(keyed[c], rate / 2, rate) / quietRms), 0.001,
                    "the key opens it");
            assertEquals(-40, ProcessorRun.db(ProcessorRun.rms(unkeyed[c], rate / 2, rate) / quietRms), 0.01,
                    "its own input is under the threshold");
            assertEquals(-40, ProcessorRun.db(ProcessorRun.rms(loudSilentKey[c], 0, rate)
                    / ProcessorRun.rms(loud[c], 0, rate)), 0.01, "a silent key keeps a loud input shut");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void theSideChainHighPassMakesTheGateIgnoreTheKick(int rate) {
        assertTrue(opens(rate, 2000, "sidechain_hpf", 500), "a 2 kHz snare opens it");
        assertTrue(!opens(rate, 60, "sidechain_hpf", 500), "a 60 Hz kick does not");
        assertTrue(opens(rate, 60, "sidechain_hpf", 0), "without the filter the kick opens it");
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000, 96_000})
    void theSideChainLowPassMakesTheGateIgnoreTheCymbals(int rate) {
        assertTrue(opens(rate, 60, "sidechain_lpf", 200), "a 60 Hz kick opens it");
        assertTrue(!opens(rate, 2000, "sidechain_lpf", 200), "a 2 kHz hi-hat does not");
        assertTrue(opens(rate, 2000, "sidechain_lpf", 0), "without the filter the hi-hat opens it");
    }

    @Test
    void gainReductionIsTheLowestGainOfTheLastBlock() {
        Processor gate = ProcessorRun.create(Gate.TYPE, 48_000, 1, "range", -50);
        assertEquals(50, gate.gainReductionDb(), "closed until a key comes");
        float[][] block = constant(1, 1000);
        gate.rtProcess(block, 1000, ProcessorRun.sine(1, 1000, 0.5, 48_000, 1000));
        assertEquals(50, gate.gainReductionDb(), 1e-9, "the block began closed");
        gate.rtProcess(block, 1000, ProcessorRun.sine(1, 1000, 0.5, 48_000, 1000));
        assertEquals(0, gate.gainReductionDb(), "open all through the next");
        for (int i = 0; i < 4; i++) {
            gate.rtProcess(block, 1000, new float[1][1000]);
        }
        double reduction = gate.gainReductionDb();
        System.out.printf("gate: %.3f dB of reduction 83 ms after the key stopped (hold 20 ms, release 100 ms)%n",
                reduction);
        assertEquals(50 * (1 - Math.exp(-(4000 - 960) / 4800.0)), reduction, 0.05);
    }

    @Test
    void blockSizesDoNotChangeTheOutput() {
        int rate = 48_000;
        float[][] input = swelling(FxSignals.pinkNoise(2, 4 * rate, 0.5, 21), 3.0 / rate);
        float[][] key = swelling(FxSignals.pinkNoise(1, 4 * rate, 0.5, 22), 2.0 / rate);
        for (float[][] keyUsed : new float[][][] {null, twoChannels(key[0])}) {
            float[][] first = FxSignals.copy(input);
            float[][] second = FxSignals.copy(input);
            Object[] settings = {"threshold", -25, "hold", 3, "attack", 0.3, "release", 30, "sidechain_hpf", 150,
                "sidechain_lpf", 6000};
            ProcessorRun.process(ProcessorRun.create(Gate.TYPE, rate, 2, settings), first, keyUsed, 1);
            ProcessorRun.process(ProcessorRun.create(Gate.TYPE, rate, 2, settings), second, keyUsed, 2);
            assertArrayEquals(first[0], second[0]);
            assertArrayEquals(first[1], second[1]);
            boolean opened = false;
            boolean closed = false;
            for (int i = 0; i < input[0].length; i++) {
                opened |= input[0][i] != 0 && first[0][i] == input[0][i];
                closed |= Math.abs(first[0][i]) < 1e-3 * Math.abs(input[0][i]);
            }
            assertTrue(opened && closed, "the gate both opens and closes");
        }
    }

    /** {@code signal} swelling between 0 and -60 dB, {@code cycles} swells per frame, in place. */
    private static float[][] swelling(float[][] signal, double cycles) {
        for (float[] channel : signal) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] *= (float) Math.pow(10, -3 * (0.5 + 0.5 * Math.sin(2 * Math.PI * cycles * i)));
            }
        }
        return signal;
    }

    /** Whether a tone of {@code frequency} at -10 dB, faded in over 20 ms, opens a gate at -30 dB at all. */
    private static boolean opens(int rate, double frequency, String filter, double filterHertz) {
        Processor gate = ProcessorRun.create(Gate.TYPE, rate, 1, "threshold", -30, filter, filterHertz);
        float[][] key = ProcessorRun.sine(1, frequency, Math.pow(10, -10 / 20.0), rate, rate);
        int fade = rate / 50;
        for (int i = 0; i < fade; i++) {
            key[0][i] *= (float) (0.5 - 0.5 * Math.cos(Math.PI * i / fade));
        }
        float[][] gains = constant(1, rate);
        ProcessorRun.process(gate, gains, key, 10);
        double highest = ProcessorRun.db(ProcessorRun.peak(gains[0], 0, rate));
        System.out.printf("gate at %d Hz, %s %.0f Hz, key %.0f Hz: highest gain %.2f dB%n", rate, filter,
                filterHertz, frequency, highest);
        return highest > -79;
    }

    /** The first frame from {@code from} whose gain in dB has risen to (or fallen to) {@code db}. */
    private static int firstFrame(float[] gains, int from, boolean rising, double db) {
        for (int i = from; i < gains.length; i++) {
            double level = ProcessorRun.db(gains[i]);
            if (rising ? level >= db : level <= db) {
                return i;
            }
        }
        throw new AssertionError("the gain never reached " + db + " dB");
    }

    private static float[][] constant(int channels, int frames) {
        float[][] signal = new float[channels][frames];
        for (float[] channel : signal) {
            Arrays.fill(channel, 1f);
        }
        return signal;
    }

    private static float[][] twoChannels(float[] mono) {
        return new float[][] {mono, mono};
    }
}
