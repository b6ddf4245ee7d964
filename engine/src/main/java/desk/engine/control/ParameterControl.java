package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Parameter;
import desk.engine.dsp.PanLaw;

/**
 * Sets the parameters of strips and sends (trim, fader, pan, balance, pan law, mute, solo, solo-safe, send
 * level, pan and pick-off point), polarity, arming and monitoring. Trim and fader send only their own gain;
 * pan, balance, pan law, mute and send settings only the gains of the paths they change; solo, polarity,
 * arming and monitoring refresh every gain. In steady state a parameter change allocates nothing.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class ParameterControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final GainCompiler gains;

    ParameterControl(MixerModel model, CommandWriter writer, GainCompiler gains) {
        this.model = model;
        this.writer = writer;
        this.gains = gains;
    }

    /** Checks and applies one parameter change, at the writer's command time. */
    void set(int nodeId, Parameter parameter, double value) {
        if (parameter == null) {
            throw new EngineException("parameter is missing");
        }
        String problem = parameter.check(value);
        if (problem != null) {
            throw new EngineException(parameter.scriptName() + " " + Parameter.format(value) + " " + problem);
        }
        if (parameter.ofSend()) {
            setOfSend(model.send(nodeId), parameter, value);
            return;
        }
        StripState entry = model.strip(nodeId, "strip");
        switch (parameter) {
            case TRIM -> {
                entry.trimDb = value;
                if (!entry.lanes.containsKey(Parameter.TRIM)) {
                    gains.sendTrim(entry);
                }
            }
            case FADER -> {
                entry.faderDb = value;
                if (!entry.lanes.containsKey(Parameter.FADER)) {
                    gains.sendFader(entry);
                }
            }
            case PAN -> {
                if (!entry.mono()) {
                    throw new EngineException("pan applies to mono strips; strip " + nodeId
                            + " has " + entry.node.channels() + " channels: use balance");
                }
                entry.pan = value;
                gains.refreshPaths(entry);
            }
            case BALANCE -> {
                if (entry.mono()) {
                    throw new EngineException("balance applies to stereo and wider strips; strip "
                            + nodeId + " is mono: use pan");
                }
                entry.balance = value;
                gains.refreshPaths(entry);
            }
            case PAN_LAW -> {
                entry.panLaw = PanLaw.ofCentreDb(value);
                gains.refreshPaths(entry);
            }
            case MUTE -> {
                entry.mute = value == 1;
                gains.refreshPaths(entry);
            }
            case SOLO -> {
                entry.solo = value == 1;
                gains.refreshAll();
            }
            case SOLO_SAFE -> {
                entry.soloSafe = value == 1;
                gains.refreshAll();
            }
            default -> throw new EngineException(parameter.scriptName() + " is a send parameter");
        }
    }

    private void setOfSend(SendState send, Parameter parameter, double value) {
        switch (parameter) {
            case SEND_LEVEL -> send.levelDb = value;
            case SEND_PAN -> send.pan = value;
            default -> {
                send.preFader = value == 1;
                writer.setPreFader(send.connection, send.preFader);
            }
        }
        gains.refreshSend(send);
    }

    void setPolarity(EngineCommand.SetPolarity c) {
        StripState entry = model.strip(c.stripId(), "strip");
        if (c.inverted() == null || c.inverted().length != entry.node.channels()) {
            throw new EngineException("polarity needs one flag per channel: strip " + c.stripId() + " has "
                    + entry.node.channels() + ", got " + (c.inverted() == null ? 0 : c.inverted().length));
        }
        entry.polarity = c.inverted().clone();
        gains.refreshAll();
    }

    void setArmed(EngineCommand.SetArmed c) {
        StripState entry = model.track(c.trackId());
        if (c.armed() && !entry.hasInput()) {
            throw new EngineException("track " + c.trackId() + " has no input: give it one before arming it");
        }
        entry.armed = c.armed();
        gains.refreshAll();
    }

    void setMonitoring(EngineCommand.SetMonitoring c) {
        StripState entry = model.track(c.trackId());
        if (c.mode() == null) {
            throw new EngineException("monitoring mode is missing: input, auto or off");
        }
        entry.monitoring = c.mode();
        gains.refreshAll();
    }
}
