package desk.engine.control;

import desk.engine.AutomationLane;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Interpolation;
import desk.engine.Limits;
import desk.engine.Parameter;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.Automation;
import desk.engine.rt.CommandRing;

/**
 * Automation lanes and ramps: a lane (on the transport's clock) or a one-off ramp (a two-point lane on the
 * engine's clock, from the value at its start) drives trim, fader, pan, balance, mute or a send's level; the
 * {@link GainCompiler} compiles the lanes into the automation table the audio side plays.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class LaneControl {
    private final MixerModel model;
    private final AudioGraph graph;
    private final CommandWriter writer;
    private final GainCompiler gains;
    private final ParameterControl parameters;
    private final Retirement retirement;

    LaneControl(MixerModel model, AudioGraph graph, CommandWriter writer, GainCompiler gains,
                ParameterControl parameters, Retirement retirement) {
        this.model = model;
        this.graph = graph;
        this.writer = writer;
        this.gains = gains;
        this.parameters = parameters;
        this.retirement = retirement;
    }

    void setLane(EngineCommand.SetLane c) {
        Parameter parameter = automatable(c.parameter());
        if (c.lane() != null) {
            String problem = c.lane().problem(parameter);
            if (problem != null) {
                throw new EngineException(parameter.scriptName() + " lane: " + problem);
            }
        }
        Automation.ClockedLane lane = c.lane() == null ? null : new Automation.ClockedLane(c.lane(), false);
        setLane(c.nodeId(), parameter, lane);
        gains.refreshAll();
    }

    void glide(EngineCommand.Glide c) {
        Parameter parameter = automatable(c.parameter());
        if (parameter == Parameter.MUTE) {
            throw new EngineException("mute switches: ramps apply to trim, fader, pan, balance and send level");
        }
        String problem = parameter.check(c.target());
        if (problem != null) {
            throw new EngineException(parameter.scriptName() + " " + Parameter.format(c.target()) + " " + problem);
        }
        if (c.samples() < 1 || c.samples() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("ramp length " + c.samples() + " samples: must be 1.." + Limits.MAX_SAMPLE_TIME);
        }
        Automation.ClockedLane existing = lane(c.nodeId(), parameter);
        if (existing != null && !existing.engineClock()) {
            throw new EngineException(parameter.scriptName() + " follows its automation lane: turn the lane off to ramp it");
        }
        long start = writer.time() != CommandRing.NOW ? writer.time() : graph.position();
        double from = existing != null ? existing.lane().valueAt(start) : currentValue(c.nodeId(), parameter);
        Interpolation interpolation = c.interpolation() == null ? Interpolation.DB : c.interpolation();
        AutomationLane lane = new AutomationLane(new long[]{start, start + c.samples()},
                new double[]{from, c.target()}, new Interpolation[]{interpolation, interpolation});
        setLane(c.nodeId(), parameter, new Automation.ClockedLane(lane, true));
        parameters.set(c.nodeId(), parameter, c.target());
        gains.refreshAll();
    }

    /** The parameter if lanes can drive it, else a refusal. */
    private static Parameter automatable(Parameter parameter) {
        if (parameter == null) {
            throw new EngineException("parameter is missing");
        }
        return switch (parameter) {
            case TRIM, FADER, PAN, BALANCE, MUTE, SEND_LEVEL -> parameter;
            default -> throw new EngineException(parameter.scriptName()
                    + " cannot be automated: lanes drive trim, fader, pan, balance, mute and send level");
        };
    }

    private Automation.ClockedLane lane(int nodeId, Parameter parameter) {
        if (parameter == Parameter.SEND_LEVEL) {
            return model.send(nodeId).levelLane;
        }
        return stripFor(nodeId, parameter).lanes.get(parameter);
    }

    private void setLane(int nodeId, Parameter parameter, Automation.ClockedLane lane) {
        retirement.maintainBy(Retirement.glideEnd(lane));
        if (parameter == Parameter.SEND_LEVEL) {
            model.send(nodeId).levelLane = lane;
        } else if (lane == null) {
            stripFor(nodeId, parameter).lanes.remove(parameter);
        } else {
            stripFor(nodeId, parameter).lanes.put(parameter, lane);
        }
    }

    private double currentValue(int nodeId, Parameter parameter) {
        if (parameter == Parameter.SEND_LEVEL) {
            return model.send(nodeId).levelDb;
        }
        StripState entry = stripFor(nodeId, parameter);
        return switch (parameter) {
            case TRIM -> entry.trimDb;
            case FADER -> entry.faderDb;
            case PAN -> entry.pan;
            case BALANCE -> entry.balance;
            default -> entry.mute ? 1 : 0;
        };
    }

    /** The strip a lane of {@code parameter} belongs to, refusing pan on wide strips and balance on mono ones. */
    private StripState stripFor(int nodeId, Parameter parameter) {
        StripState entry = model.strip(nodeId, "strip");
        if (parameter == Parameter.PAN && !entry.mono()) {
            throw new EngineException("pan applies to mono strips; strip " + nodeId + " has "
                    + entry.node.channels() + " channels: use balance");
        }
        if (parameter == Parameter.BALANCE && entry.mono()) {
            throw new EngineException("balance applies to stereo and wider strips; strip " + nodeId
                    + " is mono: use pan");
        }
        return entry;
    }
}
