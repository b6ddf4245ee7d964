package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.GeneratorSpec;
import desk.engine.GeneratorType;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.Parameter;
import desk.engine.StripKind;
import desk.engine.io.AudioFile;
import desk.engine.io.Truncation;
import desk.engine.io.WavReader;
import desk.engine.rt.CaptureSource;
import desk.engine.rt.FileSource;
import desk.engine.rt.Generator;
import desk.engine.rt.Source;

import java.io.IOException;

/**
 * Creates and removes sources (generators and files; the capture ports exist from the start) and assigns
 * them to track inputs, channel by channel.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class SourceControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final PlanCompiler plans;

    SourceControl(MixerModel model, CommandWriter writer, PlanCompiler plans) {
        this.model = model;
        this.writer = writer;
        this.plans = plans;
    }

    void createGenerator(EngineCommand.CreateGenerator c) {
        model.requireFreeId(c.id());
        GeneratorSpec spec = c.spec();
        if (spec == null || spec.type() == null) {
            throw new EngineException("generator type is missing: use sine, square, noise, impulse or silence");
        }
        double nyquist = model.sampleRate / 2.0;
        if ((spec.type() == GeneratorType.SINE || spec.type() == GeneratorType.SQUARE)
                && !(spec.frequency() > 0 && spec.frequency() < nyquist)) {
            throw new EngineException("generator frequency " + Parameter.format(spec.frequency())
                    + " Hz: must be above 0 and below " + Parameter.format(nyquist) + " Hz (half the sample rate)");
        }
        if (spec.type() != GeneratorType.SILENCE && !(spec.levelDb() == Double.NEGATIVE_INFINITY
                || (spec.levelDb() >= -144 && spec.levelDb() <= 0))) {
            throw new EngineException("generator level " + Parameter.format(spec.levelDb())
                    + " dBFS: must be -inf or -144..0 dBFS");
        }
        if (spec.impulseAt() < 0 || spec.impulseInterval() < 0 || spec.impulseAt() > Limits.MAX_SAMPLE_TIME
                || spec.impulseInterval() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("impulse position " + spec.impulseAt() + " and interval "
                    + spec.impulseInterval() + ": must be 0.." + Limits.MAX_SAMPLE_TIME + " samples");
        }
        model.sources.put(c.id(), new Generator(c.id(), spec, model.sampleRate));
        plans.publish();
    }

    void createFileSource(EngineCommand.CreateFileSource c) {
        model.requireFreeId(c.id());
        if (c.file() == null) {
            throw new EngineException("file source needs a file");
        }
        if (c.startSample() < 0) {
            throw new EngineException("file start " + c.startSample() + ": must be 0 or more samples");
        }
        AudioFile file;
        try {
            file = WavReader.read(c.file(), c.allowTruncated() ? Truncation.ALLOW : Truncation.REFUSE);
        } catch (IOException e) {
            throw new EngineException(e.getMessage());
        }
        if (file.sampleRate() != model.sampleRate) {
            throw new EngineException("file " + c.file() + " is at " + file.sampleRate()
                    + " Hz: the engine runs at " + model.sampleRate + " Hz (convert it first, e.g. with sox)");
        }
        model.sources.put(c.id(), new FileSource(c.id(), file, c.startSample(), c.loop()));
        plans.publish();
    }

    void removeSource(EngineCommand.RemoveSource c) {
        Source source = model.sources.get(c.id());
        if (source == null || c.id() == NodeIds.CAPTURE_ID) {
            throw new EngineException(c.id() == NodeIds.CAPTURE_ID ? "the capture ports cannot be removed"
                    : "source " + c.id() + " does not exist");
        }
        for (StripState entry : model.strips.values()) {
            for (int channel = 0; channel < entry.inputSourceIds.length; channel++) {
                if (entry.inputSourceIds[channel] == c.id()) {
                    sendInput(entry, channel, null, 0);
                }
            }
        }
        model.sources.remove(c.id());
        plans.publish();
    }

    void setInput(EngineCommand.SetInput c) {
        StripState entry = model.strip(c.trackId(), "track");
        if (entry.node.kind() != StripKind.TRACK) {
            throw new EngineException("strip " + c.trackId() + " is a bus: only tracks take inputs");
        }
        if (c.channel() < 0 || c.channel() >= entry.node.channels()) {
            throw new EngineException("input channel " + (c.channel() + 1) + ": track " + c.trackId()
                    + " has channels 1.." + entry.node.channels());
        }
        Source source = null;
        if (c.sourceId() != NodeIds.NO_NODE) {
            source = model.sources.get(c.sourceId());
            if (source == null) {
                throw new EngineException("source " + c.sourceId() + " does not exist");
            }
            if (c.sourceChannel() < 0 || c.sourceChannel() >= source.channels()) {
                throw new EngineException("source channel " + (c.sourceChannel() + 1) + ": source "
                        + c.sourceId() + " has channels 1.." + source.channels());
            }
            if (source instanceof CaptureSource capture) {
                capture.open(c.sourceChannel());
            }
        }
        sendInput(entry, c.channel(), source, c.sourceChannel());
    }

    private void sendInput(StripState entry, int channel, Source source, int sourceChannel) {
        entry.inputSourceIds[channel] = source == null ? NodeIds.NO_NODE : source.id();
        writer.setInput(entry.node, channel, source, sourceChannel);
    }
}
