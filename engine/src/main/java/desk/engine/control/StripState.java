package desk.engine.control;

import desk.engine.MonitorMode;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.clip.ClipPlayer;
import desk.engine.dsp.PanLaw;
import desk.engine.dsp.SmoothedGains;
import desk.engine.meter.LoudnessTap;
import desk.engine.rt.Automation;
import desk.engine.rt.Connection;
import desk.engine.rt.InsertChain;
import desk.engine.rt.StripNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The control side's record of a strip: its settings as last set, its routing, the lanes that drive it, the
 * paths still fading out of it, and what was last sent to its node's gains (so unchanged gains are not sent
 * again).
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class StripState {
    final StripNode node;
    double trimDb;
    double faderDb;
    double pan;
    double balance;
    PanLaw panLaw = PanLaw.MINUS_3_DB;
    boolean[] polarity;
    boolean mute;
    boolean solo;
    boolean soloSafe;
    /** Solo flags, as {@link SoloResolver} worked them out: soloed, fed by a soloed strip, feeding one. */
    boolean soloed;
    boolean fedBySolo;
    boolean feedsSolo;
    boolean armed;
    /** How late the track's live input arrives against the timeline, samples (a node's return). */
    int inputLatency;
    MonitorMode monitoring = MonitorMode.INPUT;
    int outputId;
    Connection output;
    final int[] inputSourceIds;
    float[] trimPolaritySent;
    float[] faderSent;
    float[] monitorSent;
    float[] outputSent;
    /**
     * How the output fades in after a re-route: equal gain when the old and the new path meet downstream (two
     * correlated copies of the signal sum there), equal power when they do not.
     */
    SmoothedGains.Shape outputFadeIn = SmoothedGains.Shape.EQUAL_POWER;
    ClipPlayer player;
    final Map<Parameter, Automation.ClockedLane> lanes = new EnumMap<>(Parameter.class);
    final List<RetiredPath> retiring = new ArrayList<>();
    /** The sends from this strip. */
    final List<SendState> sendsOut = new ArrayList<>();
    /** The engine time from which the removed strip may leave the plan; -1 while it exists. */
    long removingUntil = -1;
    LoudnessTap loudness;
    DirectOutState directOut;
    /** The inserts, in the order they run. */
    final List<InsertState> inserts = new ArrayList<>();
    /** The audio side's chain, made with the first insert. */
    InsertChain chain;
    /** The delay from the session's sources to this strip's output, samples (its input's and its inserts'). */
    int outputLatency;

    StripState(StripNode node) {
        this.node = node;
        this.polarity = new boolean[node.channels()];
        this.inputSourceIds = new int[node.channels()];
        Arrays.fill(inputSourceIds, NodeIds.NO_NODE);
    }

    int id() {
        return node.id();
    }

    boolean mono() {
        return node.channels() == 1;
    }

    /** Whether any channel has an input source. */
    boolean hasInput() {
        for (int source : inputSourceIds) {
            if (source != NodeIds.NO_NODE) {
                return true;
            }
        }
        return false;
    }

    /** The delay the strip's inserts add, samples. */
    int chainLatency() {
        int total = 0;
        for (InsertState insert : inserts) {
            total += insert.slot.latency();
        }
        return total;
    }

    /** Whether a lane drives the pan, balance or mute of the paths out of this strip. */
    boolean lanesDrivePaths() {
        return lanes.containsKey(Parameter.PAN) || lanes.containsKey(Parameter.BALANCE)
                || lanes.containsKey(Parameter.MUTE);
    }
}
