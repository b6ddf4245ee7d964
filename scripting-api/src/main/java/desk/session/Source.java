package desk.session;

import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;
import desk.engine.GeneratorType;
import desk.engine.Parameter;

import java.nio.file.Path;

/**
 * Something a track can take as input besides a port: a test-signal generator or a WAV file. Create one
 * with {@link Session#generator} or {@link Session#file}; it plays whether or not a track listens.
 * <p>
 * Threads: the session's control thread.
 */
public final class Source {
    private final int id;
    private final int channels;
    private final GeneratorSpec generator;
    private final Path file;
    private final long start;
    private final boolean loop;
    private final boolean allowTruncated;

    Source(int id, int channels, GeneratorSpec generator, Path file, long start, boolean loop, boolean allowTruncated) {
        this.id = id;
        this.channels = channels;
        this.generator = generator;
        this.file = file;
        this.start = start;
        this.loop = loop;
        this.allowTruncated = allowTruncated;
    }

    /** The command that makes this source in an engine. */
    EngineCommand creation() {
        return generator != null ? new EngineCommand.CreateGenerator(id, generator)
                : new EngineCommand.CreateFileSource(id, file, start, loop, allowTruncated);
    }

    int id() {
        return id;
    }

    /** What the generator makes, or null for a file. */
    GeneratorSpec generator() {
        return generator;
    }

    /** The file played, or null for a generator. */
    Path file() {
        return file;
    }

    /** The engine sample the file starts playing at. */
    long start() {
        return start;
    }

    /** Whether the file loops. */
    boolean loop() {
        return loop;
    }

    /** Whether a truncated file was allowed. */
    boolean allowTruncated() {
        return allowTruncated;
    }

    /** Number of channels it produces (generators are mono). */
    public int channels() {
        return channels;
    }

    /** Channel {@code number} (from 1) of this source, to feed one channel of a track. */
    public SourceChannel channel(int number) {
        if (number < 1 || number > channels) {
            throw new DeskException("channel " + number + " of " + this + ": it has channels 1.." + channels);
        }
        return new SourceChannel(this, number - 1);
    }

    @Override
    public String toString() {
        if (generator == null) {
            return "file " + file.getFileName();
        }
        GeneratorType type = generator.type();
        String level = Parameter.format(generator.levelDb()) + " dBFS";
        return switch (type) {
            case SINE, SQUARE -> type.scriptName() + " " + Parameter.format(generator.frequency()) + " Hz " + level;
            case NOISE -> (generator.pink() ? "pink" : "white") + " noise " + level + " RMS seed " + generator.seed();
            case IMPULSE -> "impulse " + level;
            case SILENCE -> "silence";
        };
    }

    /** One channel of a {@link Source}. Immutable; any thread. */
    public record SourceChannel(Source source, int index) {
        @Override
        public String toString() {
            return source.channels() == 1 ? source.toString() : source + " ch" + (index + 1);
        }
    }
}
