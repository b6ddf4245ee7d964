package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;

/**
 * Starts and stops the transport, moves it and sets its loop range. Starting or stopping also refreshes the
 * gains of tracks whose monitoring follows the transport.
 * <p>
 * Threads: the control thread only, under the engine's lock.
 */
final class TransportControl {
    private final MixerModel model;
    private final CommandWriter writer;
    private final GainCompiler gains;

    TransportControl(MixerModel model, CommandWriter writer, GainCompiler gains) {
        this.model = model;
        this.writer = writer;
        this.gains = gains;
    }

    void setTransport(EngineCommand.SetTransport c) {
        writer.setTransport(c.rolling());
        if (model.rolling != c.rolling()) {
            model.rolling = c.rolling();
            gains.refreshMonitoring();
        }
    }

    void locate(EngineCommand.Locate c) {
        if (c.position() < 0 || c.position() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("transport position " + c.position() + ": must be 0.." + Limits.MAX_SAMPLE_TIME
                    + " samples");
        }
        writer.locate(c.position());
    }

    void setLoop(EngineCommand.SetLoop c) {
        if (c.loop() != null && c.loop().end() > Limits.MAX_SAMPLE_TIME) {
            throw new EngineException("loop end " + c.loop().end() + ": must be at most " + Limits.MAX_SAMPLE_TIME
                    + " samples");
        }
        writer.setLoop(c.loop());
    }
}
