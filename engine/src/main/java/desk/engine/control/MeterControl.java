package desk.engine.control;

import desk.engine.NodeIds;
import desk.engine.meter.LoudnessTap;
import desk.engine.meter.MeterBuffer;
import desk.engine.meter.MeterPoint;

import java.util.List;

/**
 * The meters of the strips: reading them, clearing them and choosing where a strip measures loudness and
 * true peak.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class MeterControl {
    private final MixerModel model;
    private final CommandWriter writer;

    MeterControl(MixerModel model, CommandWriter writer) {
        this.model = model;
        this.writer = writer;
    }

    /** Reads strip {@code stripId}'s meter at {@code point}, with its loudness if it measures it there, into {@code into}. */
    void read(int stripId, MeterPoint point, MeterBuffer into) {
        StripState entry = model.strip(stripId, "strip");
        entry.node.meter(point).read(into);
        LoudnessTap tap = entry.loudness;
        if (tap != null && tap.point() == point) {
            tap.read(into);
        }
    }

    /** Where a strip measures loudness and true peak, or null if it does not. */
    MeterPoint loudnessPoint(int stripId) {
        LoudnessTap tap = model.strip(stripId, "strip").loudness;
        return tap == null ? null : tap.point();
    }

    /** Clears the meters of strip {@code stripId}, or of every strip for {@link NodeIds#NO_NODE}. */
    void reset(int stripId) {
        for (StripState entry : stripId == NodeIds.NO_NODE ? model.strips.values() : List.of(model.strip(stripId, "strip"))) {
            for (MeterPoint point : MeterPoint.values()) {
                entry.node.meter(point).reset();
            }
            if (entry.loudness != null) {
                entry.loudness.reset();
            }
        }
    }

    /** Has the audio thread clear strip {@code stripId}'s meters once its trim has settled. */
    void resetAfterTrim(int stripId) {
        writer.resetMetersAfterTrim(model.strip(stripId, "strip").node);
    }

    /** Makes strip {@code stripId} measure loudness and true peak at {@code point} (null: nowhere). */
    void setLoudness(int stripId, MeterPoint point) {
        setLoudness(model.strip(stripId, "strip"), point);
    }

    void setLoudness(StripState entry, MeterPoint point) {
        entry.loudness = point == null ? null : new LoudnessTap(point, entry.node.channels(), model.sampleRate);
        writer.setLoudness(entry.node, entry.loudness);
    }
}
