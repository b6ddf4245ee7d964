package desk.session;

import desk.engine.EngineCommand;
import desk.engine.GeneratorSpec;
import desk.engine.io.AudioFileInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's sources (generators and files) in the order they were made: making them in the engine, taking
 * them out, checking that a source belongs to the session, and, for a node's session, its own copies of the
 * main session's sources.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionSources {
    private final Session session;
    private final List<Source> sources = new ArrayList<>();
    private final Map<Source, Source> copies = new IdentityHashMap<>();

    SessionSources(Session session) {
        this.session = session;
    }

    /** The sources made so far. */
    List<Source> all() {
        return Collections.unmodifiableList(sources);
    }

    /** A test-signal generator making exactly {@code spec}. */
    Source generator(GeneratorSpec spec) {
        int id = session.newId();
        session.execute(new EngineCommand.CreateGenerator(id, spec));
        Source source = new Source(id, 1, spec, null, 0, false, false);
        sources.add(source);
        return source;
    }

    /**
     * A WAV file as a source, playing from engine sample {@code start}, once or looped; a file cut short is
     * refused unless {@code allowTruncated}, and then a notice says so.
     */
    Source file(Path path, boolean loop, boolean allowTruncated, long start) {
        String label = "session.file";
        if (path == null) {
            throw new DeskException(label + ": needs the path of a WAV file");
        }
        AudioFileInfo info = AudioFiles.probe(path, label, allowTruncated);
        int id = session.newId();
        session.execute(new EngineCommand.CreateFileSource(id, path, start, loop, allowTruncated));
        Source source = new Source(id, info.channels(), null, path, start, loop, allowTruncated);
        sources.add(source);
        session.noticeIfTruncated(label, path, info);
        return source;
    }

    /** Takes {@code source} out of the session: tracks that took it as input hear nothing from it. */
    void remove(Source source) {
        for (Track track : session.tracks()) {
            List<Object> input = track.input();
            for (int c = 0; c < input.size(); c++) {
                if (input.get(c) instanceof Source.SourceChannel channel && channel.source() == source) {
                    track.readPort(c, null);
                    track.forgetInput(c);
                }
            }
        }
        session.execute(new EngineCommand.RemoveSource(source.id()));
        sources.remove(source);
        copies.values().removeIf(copy -> copy == source);
    }

    /**
     * {@code source} as this session has it: itself, or, when {@code main}'s session (a node's session's main
     * one) made it, this session's own copy (a generator renders the same samples on the shared clock; a file
     * must be at the same path on the node's machine).
     */
    Source own(Source source, String action, SessionSources main) {
        if (main != this && !sources.contains(source) && main.sources.contains(source)) {
            return copies.computeIfAbsent(source, this::like);
        }
        checkOwn(source, action);
        return source;
    }

    /** A new source of this session that plays what {@code source} (another session's) plays. */
    Source like(Source source) {
        return source.generator() != null ? generator(source.generator())
                : file(source.file(), source.loop(), source.allowTruncated(), source.start());
    }

    /** The main session's source {@code source} is this session's copy of, or {@code source} itself. */
    Source original(Source source) {
        for (Map.Entry<Source, Source> copy : copies.entrySet()) {
            if (copy.getValue() == source) {
                return copy.getKey();
            }
        }
        return source;
    }

    /** Refuses a source this session did not make. */
    void checkOwn(Source source, String action) {
        if (!sources.contains(source)) {
            throw new DeskException(action + ": " + source + " does not belong to this session");
        }
    }
}
