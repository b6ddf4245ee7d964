package desk.engine.control;

import desk.engine.Limits;
import desk.engine.MonitorMode;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.dsp.Decibels;
import desk.engine.dsp.GainMatrix;
import desk.engine.dsp.SmoothedGains;
import desk.engine.rt.Automation;
import desk.engine.rt.Connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the settings of the model into gain targets: each strip's monitoring, trim with polarity and fader,
 * and the matrix of every path (pan or balance, send level, mute, solo). It sends only the gains that
 * changed, as declicked ramps (a new path fades in at equal power); vectors driven by automation lanes go
 * into a new {@link Automation} table instead.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class GainCompiler {
    private final MixerModel model;
    private final SoloResolver solo;
    private final CommandWriter writer;
    private List<Automation.Target> automationSent = List.of();
    /** Gains being assembled before they are compared with what was sent, and sent. */
    private final float[] scratch = new float[Limits.MAX_TRACK_CHANNELS * 2];
    private boolean held;
    private boolean refreshHeld;

    GainCompiler(MixerModel model, SoloResolver solo, CommandWriter writer) {
        this.model = model;
        this.solo = solo;
        this.writer = writer;
    }

    /**
     * Holds back {@link #refreshAll} ({@code held}) until the hold ends, then refreshes once if it was asked for
     * meanwhile.
     */
    void hold(boolean held) {
        this.held = held;
        if (!held && refreshHeld) {
            refreshHeld = false;
            refreshAll();
        }
    }

    /** Works every gain out again and sends those that changed; publishes the automation table if it changed. */
    void refreshAll() {
        if (held) {
            refreshHeld = true;
            return;
        }
        solo.update();
        List<Automation.Target> automated = new ArrayList<>();
        for (StripState entry : model.strips.values()) {
            float[] signs = new float[entry.node.channels()];
            for (int c = 0; c < signs.length; c++) {
                signs[c] = entry.polarity[c] ? -1f : 1f;
            }
            if (entry.node.kind() == StripKind.TRACK) {
                boolean hears = entry.monitoring.hearsInput(entry.armed, model.rolling, model.recording);
                scratch[0] = hears ? 1f : 0f;
                scratch[1] = hears ? 0f : 1f;
                entry.monitorSent = rampIfChanged(entry.node.monitor(), scratch, 2, entry.monitorSent, null);
            }
            Automation.ClockedLane trimLane = entry.lanes.get(Parameter.TRIM);
            if (trimLane != null) {
                automated.add(Automation.Target.trim(entry.node.trimPolarity(), trimLane, signs));
                entry.trimPolaritySent = null;
            } else {
                sendTrim(entry);
            }
            Automation.ClockedLane faderLane = entry.lanes.get(Parameter.FADER);
            if (faderLane != null) {
                automated.add(Automation.Target.fader(entry.node.fader(), faderLane));
                entry.faderSent = null;
            } else {
                sendFader(entry);
            }
            if (entry.output != null) {
                entry.outputSent = connectionGains(entry, entry.output, null, 1.0, Double.NaN,
                        solo.passes(entry, model.find(entry.outputId)), entry.outputSent, automated);
            }
            if (entry.directOut != null) {
                directOutGains(entry, automated);
            }
            for (InsertState insert : entry.inserts) {
                for (int index = 0; index < insert.lanes.length; index++) {
                    if (insert.lanes[index] != null) {
                        automated.add(Automation.Target.parameter(insert.slot, index, insert.lanes[index]));
                    }
                }
            }
        }
        for (SendState send : model.sends.values()) {
            send.sent = connectionGains(send.source, send.connection, send.levelLane, Decibels.toGain(send.levelDb),
                    send.pan, solo.passes(send.source, send.destination), send.sent, automated);
        }
        model.masterOutputSent = connectionGains(model.master, model.masterOutput, null, 1.0, Double.NaN,
                !model.master.mute, model.masterOutputSent, automated);
        publishAutomation(automated);
    }

    /** Refreshes every gain if any track's monitoring follows the transport or the take. */
    void refreshMonitoring() {
        for (StripState entry : model.strips.values()) {
            if (entry.monitoring == MonitorMode.AUTO) {
                refreshAll();
                return;
            }
        }
    }

    /**
     * Sends the gains of the paths out of {@code entry} (its output and its sends) after a change of its pan,
     * balance, pan law or mute, which change nothing else. Every gain is refreshed instead when a lane drives
     * any of those paths, or when the routing changed after the solo flags were worked out.
     */
    void refreshPaths(StripState entry) {
        boolean laneDriven = entry.lanesDrivePaths();
        for (int i = 0; i < entry.sendsOut.size() && !laneDriven; i++) {
            laneDriven = entry.sendsOut.get(i).levelLane != null;
        }
        if (laneDriven || solo.stale()) {
            refreshAll();
            return;
        }
        if (entry == model.master) {
            model.masterOutputSent = connectionGains(model.master, model.masterOutput, null, 1.0, Double.NaN,
                    !model.master.mute, model.masterOutputSent, null);
            return;
        }
        if (entry.output != null) {
            entry.outputSent = connectionGains(entry, entry.output, null, 1.0, Double.NaN,
                    solo.passes(entry, model.find(entry.outputId)), entry.outputSent, null);
        }
        for (int i = 0; i < entry.sendsOut.size(); i++) {
            SendState send = entry.sendsOut.get(i);
            send.sent = connectionGains(entry, send.connection, null, Decibels.toGain(send.levelDb), send.pan,
                    solo.passes(entry, send.destination), send.sent, null);
        }
        if (entry.directOut != null) {
            directOutGains(entry, null);
        }
    }

    /** Sends the gains of a send after a change of its level or pan; as {@link #refreshPaths}, or every gain. */
    void refreshSend(SendState send) {
        if (send.levelLane != null || send.source.lanesDrivePaths() || solo.stale()) {
            refreshAll();
            return;
        }
        send.sent = connectionGains(send.source, send.connection, null, Decibels.toGain(send.levelDb), send.pan,
                solo.passes(send.source, send.destination), send.sent, null);
    }

    /** Sends the strip's trim with its polarity (a declicked ramp), unless that is what it has. */
    void sendTrim(StripState entry) {
        float trim = (float) Decibels.toGain(entry.trimDb);
        int channels = entry.node.channels();
        for (int c = 0; c < channels; c++) {
            scratch[c] = entry.polarity[c] ? -trim : trim;
        }
        entry.trimPolaritySent = rampIfChanged(entry.node.trimPolarity(), scratch, channels,
                entry.trimPolaritySent, null);
    }

    /** Sends the strip's fader (a declicked ramp), unless that is what it has. */
    void sendFader(StripState entry) {
        scratch[0] = (float) Decibels.toGain(entry.faderDb);
        entry.faderSent = rampIfChanged(entry.node.fader(), scratch, 1, entry.faderSent, null);
    }

    /**
     * Sends the gains of a strip's direct out: channel to channel, closed by mute (or driven by the mute
     * lane, added to {@code automated}, which may be null when no lane drives the mute), never by solo; a new
     * direct out fades in.
     */
    private void directOutGains(StripState entry, List<Automation.Target> automated) {
        DirectOutState out = entry.directOut;
        int channels = entry.node.channels();
        Automation.ClockedLane muteLane = entry.lanes.get(Parameter.MUTE);
        if (muteLane != null) {
            automated.add(Automation.Target.matrix(out.connection.gains(), channels, channels, entry.panLaw, null, 1.0,
                    null, 0, muteLane, false, true));
            out.sent = null;
            return;
        }
        float[] gains = new float[channels * channels];
        GainMatrix.fill(gains, channels, channels, entry.panLaw, 0, 1.0, !entry.mute);
        out.sent = rampIfChanged(out.connection.gains(), gains, gains.length, out.sent,
                out.sent == null ? SmoothedGains.Shape.EQUAL_POWER : null);
    }

    /**
     * Sends the gains of a connection from {@code entry} (level {@code level}, pan or balance overridden by
     * {@code positionOverride} unless NaN, the solo gate {@code open}), or, when a lane drives any of them,
     * adds the connection to {@code automated} (which may be null only when no lane does). Returns what was
     * sent (null when automated).
     */
    private float[] connectionGains(StripState entry, Connection connection, Automation.ClockedLane levelLane,
                                    double level, double positionOverride, boolean open, float[] previous,
                                    List<Automation.Target> automated) {
        boolean mono = entry.mono();
        double position = !Double.isNaN(positionOverride) ? positionOverride : mono ? entry.pan : entry.balance;
        Automation.ClockedLane positionLane = !Double.isNaN(positionOverride) ? null
                : entry.lanes.get(mono ? Parameter.PAN : Parameter.BALANCE);
        Automation.ClockedLane muteLane = entry.lanes.get(Parameter.MUTE);
        int channels = entry.node.channels();
        int destinationChannels = connection.destination().channels();
        if (levelLane != null || positionLane != null || muteLane != null) {
            boolean gate = muteLane == null ? open : openIgnoringMute(entry, connection, open);
            automated.add(Automation.Target.matrix(connection.gains(), channels, destinationChannels,
                    entry.panLaw, levelLane, level, positionLane, position, muteLane, false, gate));
            return null;
        }
        GainMatrix.fill(scratch, channels, destinationChannels, entry.panLaw, position, level, open);
        return rampIfChanged(connection.gains(), scratch, channels * destinationChannels, previous,
                previous != null ? null : connection == entry.output ? entry.outputFadeIn : SmoothedGains.Shape.EQUAL_POWER);
    }

    /** The solo gate of a path whose mute a lane drives: as {@link SoloResolver#passes}, with the strip unmuted. */
    private boolean openIgnoringMute(StripState entry, Connection connection, boolean open) {
        if (!entry.mute) {
            return open;
        }
        entry.mute = false;
        try {
            return entry == model.master || solo.passes(entry, model.destinationOf(connection));
        } finally {
            entry.mute = true;
        }
    }

    /** Publishes the automation table if it differs from what the audio side plays. */
    private void publishAutomation(List<Automation.Target> automated) {
        if (automated.isEmpty() && automationSent.isEmpty()) {
            return;
        }
        automationSent = automated;
        writer.swapAutomation(automated.isEmpty() ? Automation.NONE
                : new Automation(automated.toArray(new Automation.Target[0])));
    }

    /**
     * Sends a ramp of {@code target} to the first {@code length} of {@code values} unless they equal
     * {@code previous} (what was sent before, or null): a declick, or with {@code crossfade} (not null) a fade
     * of that shape over the crossfade time (a path fading in). Returns what was sent, in {@code previous} when
     * it has that length.
     */
    private float[] rampIfChanged(SmoothedGains target, float[] values, int length, float[] previous,
                                  SmoothedGains.Shape crossfade) {
        if (previous != null && Arrays.equals(previous, 0, previous.length, values, 0, length)) {
            return previous;
        }
        if (crossfade != null) {
            writer.shapedRamp(target, values, length, model.crossfadeSamples, crossfade);
        } else {
            writer.ramp(target, values, length);
        }
        float[] sent = previous != null && previous.length == length ? previous : new float[length];
        System.arraycopy(values, 0, sent, 0, length);
        return sent;
    }
}
