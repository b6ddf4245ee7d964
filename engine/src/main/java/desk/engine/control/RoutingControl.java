package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.dsp.SmoothedGains;
import desk.engine.rt.StripNode;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Creates and removes strips and sends, and routes outputs and direct outs, each checked whole before any
 * of it is applied. A path that goes away fades out ({@link Retirement}); a new one fades in; the plan and
 * the gains are compiled again after each change.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class RoutingControl {
    private final MixerModel model;
    private final Retirement retirement;
    private final PlanCompiler plans;
    private final GainCompiler gains;
    private final int playbackChannels;

    RoutingControl(MixerModel model, Retirement retirement, PlanCompiler plans, GainCompiler gains,
                   int playbackChannels) {
        this.model = model;
        this.retirement = retirement;
        this.plans = plans;
        this.gains = gains;
        this.playbackChannels = playbackChannels;
    }

    void createStrip(EngineCommand.CreateStrip c) {
        model.requireFreeId(c.id());
        if (c.kind() == null || c.kind() == StripKind.MASTER) {
            throw new EngineException("strip kind " + c.kind() + ": must be TRACK, GROUP_BUS or AUX_BUS");
        }
        int maxChannels = c.kind() == StripKind.TRACK ? Limits.MAX_TRACK_CHANNELS : 2;
        if (c.channels() < 1 || c.channels() > maxChannels) {
            throw new EngineException("channels " + c.channels() + ": a "
                    + (c.kind() == StripKind.TRACK ? "track" : "bus") + " has 1.." + maxChannels);
        }
        StripState entry = new StripState(new StripNode(c.id(), c.kind(), c.channels(), model.sampleRate,
                model.declickSamples));
        model.strips.put(c.id(), entry);
        model.stripIndex.put(c.id(), entry);
        entry.outputId = NodeIds.MASTER_ID;
        entry.output = model.newConnection(entry.node, model.master.node, false);
        entry.outputSent = null;
        plans.publish();
        gains.refreshAll();
    }

    void removeStrip(EngineCommand.RemoveStrip c) {
        StripState entry = model.strip(c.id(), "strip");
        if (entry == model.master) {
            throw new EngineException("the master cannot be removed");
        }
        long until = retirement.retireTime();
        for (Iterator<SendState> i = model.sends.values().iterator(); i.hasNext(); ) {
            SendState send = i.next();
            if (send.source == entry || send.destination == entry) {
                retirement.retire(send.source, send.connection, until);
                i.remove();
                model.forgetSend(send);
            }
        }
        for (StripState other : model.strips.values()) {
            if (other.outputId == c.id()) {
                retirement.retire(other, other.output, until);
                other.outputId = NodeIds.NO_NODE;
                other.output = null;
            }
        }
        retirement.retire(entry, entry.output, until);
        entry.outputId = NodeIds.NO_NODE;
        entry.output = null;
        retirement.retireDirectOut(entry, until);
        entry.lanes.clear();
        entry.removingUntil = until;
        retirement.maintainBy(until);
        plans.publish();
        gains.refreshAll();
    }

    void setOutput(EngineCommand.SetOutput c) {
        StripState entry = model.strip(c.stripId(), "strip");
        if (entry == model.master) {
            throw new EngineException("the master's output is the interface's playback ports and cannot be routed");
        }
        if (c.destinationId() == entry.outputId) {
            return;
        }
        if (c.destinationId() == NodeIds.NO_NODE) {
            retirement.retire(entry, entry.output, retirement.retireTime());
            entry.outputId = NodeIds.NO_NODE;
            entry.output = null;
        } else {
            StripState destination = model.bus(c.destinationId());
            model.refuseLoop(entry, destination);
            SmoothedGains.Shape shape = entry.outputId != NodeIds.NO_NODE
                    && model.converge(entry.outputId, destination.id())
                    ? SmoothedGains.Shape.LINEAR : SmoothedGains.Shape.EQUAL_POWER;
            retirement.retire(entry, entry.output, retirement.retireTime(), shape);
            entry.outputFadeIn = shape;
            entry.outputId = destination.id();
            entry.output = model.newConnection(entry.node, destination.node, false);
            entry.outputSent = null;
        }
        plans.publish();
        gains.refreshAll();
    }

    void setDirectOut(EngineCommand.SetDirectOut c) {
        StripState entry = model.strip(c.busId(), "bus");
        if (!entry.node.kind().isBus() || entry == model.master) {
            throw new EngineException(entry == model.master
                    ? "the master plays on playback channels 1 and 2 always: it has no direct out"
                    : "strip " + c.busId() + " is a track: direct outs belong to group and aux buses");
        }
        int[] channels = c.playbackChannels() == null ? new int[0] : c.playbackChannels().clone();
        if (channels.length > 0) {
            checkDirectOutChannels(entry, channels);
        }
        DirectOutState current = entry.directOut;
        if (current == null ? channels.length == 0 : Arrays.equals(current.channels, channels)) {
            return;
        }
        retirement.retireDirectOut(entry, retirement.retireTime());
        if (channels.length > 0) {
            StripNode port = new StripNode(NodeIds.NO_NODE, StripKind.MASTER, channels.length, model.sampleRate,
                    model.declickSamples);
            entry.directOut = new DirectOutState(c.busId(), port, model.newConnection(entry.node, port, false),
                    channels);
            model.directOuts.add(entry.directOut);
        }
        plans.publish();
        gains.refreshAll();
    }

    /** Refuses playback channels a bus's direct out cannot take, naming what it can. */
    private void checkDirectOutChannels(StripState entry, int[] channels) {
        int id = entry.id();
        int width = entry.node.channels();
        if (channels.length != width) {
            throw new EngineException("direct out of bus " + id + " needs " + width + " playback channel"
                    + (width == 1 ? "" : "s") + " (one per channel), got " + channels.length);
        }
        for (int i = 0; i < channels.length; i++) {
            int channel = channels[i];
            if (channel < Limits.FIRST_DIRECT_OUT || channel >= playbackChannels) {
                throw new EngineException("direct out of bus " + id + ": playback channel " + (channel + 1)
                        + (playbackChannels == Limits.FIRST_DIRECT_OUT
                        ? " does not exist: this interface plays the master alone"
                        : ": must be " + (Limits.FIRST_DIRECT_OUT + 1) + ".." + playbackChannels
                        + " (1 and 2 are the master's)"));
            }
            for (int j = 0; j < i; j++) {
                if (channels[j] == channel) {
                    throw new EngineException("direct out of bus " + id + ": playback channel " + (channel + 1)
                            + " is given twice");
                }
            }
            for (DirectOutState other : model.directOuts) {
                if (other.until < 0 && other != entry.directOut && other.uses(channel)) {
                    throw new EngineException("direct out of bus " + id + ": playback channel "
                            + (channel + 1) + " carries the direct out of bus " + other.busId);
                }
            }
        }
    }

    void createSend(EngineCommand.CreateSend c) {
        model.requireFreeId(c.id());
        StripState source = model.strip(c.sourceId(), "strip");
        if (source == model.master) {
            throw new EngineException("the master has no sends");
        }
        StripState destination = model.bus(c.destinationId());
        if (destination == model.master) {
            throw new EngineException("sends go to group or aux buses, not to the master");
        }
        for (SendState send : model.sends.values()) {
            if (send.source == source && send.destination == destination) {
                throw new EngineException("strip " + source.id() + " already sends to bus "
                        + destination.id() + " (send " + send.id + ")");
            }
        }
        model.refuseLoop(source, destination);
        String problem = Parameter.SEND_LEVEL.check(c.levelDb());
        if (problem != null) {
            throw new EngineException("send level " + Parameter.format(c.levelDb()) + " " + problem);
        }
        SendState send = new SendState(c.id(), source, destination);
        send.levelDb = c.levelDb();
        send.preFader = c.preFader();
        send.connection = model.newConnection(source.node, destination.node, c.preFader());
        model.sends.put(c.id(), send);
        model.sendIndex.put(c.id(), send);
        source.sendsOut.add(send);
        plans.publish();
        gains.refreshAll();
    }

    void removeSend(EngineCommand.RemoveSend c) {
        SendState send = model.sends.remove(c.id());
        if (send == null) {
            throw new EngineException("send " + c.id() + " does not exist");
        }
        model.forgetSend(send);
        retirement.retire(send.source, send.connection, retirement.retireTime());
        plans.publish();
        gains.refreshAll();
    }
}
