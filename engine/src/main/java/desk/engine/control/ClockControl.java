package desk.engine.control;

import desk.engine.ClockReading;
import desk.engine.ClockRole;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.rt.NodeClock;
import desk.engine.rt.NodeReturn;

/**
 * The engine's shared clock with the engines of other machines ({@link NodeClock}), the return it feeds
 * ({@link NodeReturn}), and the tracks whose input arrives late over the network: their latency joins the
 * plan's delay compensation.
 * <p>
 * Threads: the control thread only, under the engine's lock; {@link #reading} on any thread.
 */
final class ClockControl {
    /** The longest input latency a track may declare: ten seconds at 192 kHz. */
    static final int MAX_INPUT_LATENCY = 192_000 * 10;

    private final MixerModel model;
    private final CommandWriter writer;
    private final PlanCompiler plans;
    private final int capturePorts;
    private final int playbackChannels;
    private volatile NodeClock clock;
    private EngineCommand.SetClock clockSet = new EngineCommand.SetClock(ClockRole.NONE, 0, 0);
    private NodeReturn fed;

    ClockControl(MixerModel model, CommandWriter writer, PlanCompiler plans, int capturePorts, int playbackChannels) {
        this.model = model;
        this.writer = writer;
        this.plans = plans;
        this.capturePorts = capturePorts;
        this.playbackChannels = playbackChannels;
    }

    void setClock(EngineCommand.SetClock c) {
        if (c.role() == null) {
            throw new EngineException("clock role: must be NONE, LEAD or FOLLOW");
        }
        if (c.role() != ClockRole.NONE) {
            if (c.captureChannel() < 0 || c.captureChannel() >= capturePorts) {
                throw new EngineException("clock capture channel " + c.captureChannel() + ": must be 0.."
                        + (capturePorts - 1));
            }
            if (c.playbackChannel() < 0 || c.playbackChannel() >= playbackChannels) {
                throw new EngineException("clock playback channel " + c.playbackChannel() + ": must be 0.."
                        + (playbackChannels - 1));
            }
        }
        clockSet = c;
        publishClock();
    }

    void createNodeReturn(EngineCommand.CreateNodeReturn c) {
        model.requireFreeId(c.id());
        if (c.captureChannels() == null || c.captureChannels().length < 1 || c.captureChannels().length > 2) {
            throw new EngineException("node return " + c.id() + ": needs 1 or 2 capture channels");
        }
        for (int channel : c.captureChannels()) {
            if (channel < 0 || channel >= capturePorts) {
                throw new EngineException("node return capture channel " + channel + ": must be 0.."
                        + (capturePorts - 1));
            }
        }
        if (c.latency() < 0 || c.latency() > NodeReturn.MAX_LATENCY) {
            throw new EngineException("node return latency " + c.latency() + ": must be 0.." + NodeReturn.MAX_LATENCY
                    + " samples");
        }
        fed = new NodeReturn(c.id(), c.captureChannels(), c.latency());
        model.sources.put(c.id(), fed);
        plans.publish();
        publishClock();
    }

    /** Source {@code id} has gone: the clock feeds it no more. */
    void sourceRemoved(int id) {
        if (fed != null && fed.id() == id) {
            fed = null;
            publishClock();
        }
    }

    /**
     * Sends the clock as set, feeding the return made last; a clock in the same role carries on the losses and the
     * lock of the one before.
     */
    private void publishClock() {
        NodeClock next = clockSet.role() == ClockRole.NONE ? null
                : new NodeClock(clockSet.role(), clockSet.captureChannel(), clockSet.playbackChannel(), fed, clock);
        writer.setClock(next);
        clock = next;
    }

    void setInputLatency(EngineCommand.SetInputLatency c) {
        if (c.samples() < 0 || c.samples() > MAX_INPUT_LATENCY) {
            throw new EngineException("input latency " + c.samples() + ": must be 0.." + MAX_INPUT_LATENCY
                    + " samples");
        }
        StripState track = model.track(c.trackId());
        if (track.inputLatency != c.samples()) {
            track.inputLatency = c.samples();
            plans.publish();
        }
    }

    /** What the shared clock says now. Any thread. */
    ClockReading reading() {
        NodeClock current = clock;
        return current == null ? ClockReading.NONE : current.reading();
    }
}
