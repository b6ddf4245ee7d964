package desk.script;

import desk.session.Source;

import java.util.Set;

/**
 * The part of the script API for sources: generators and WAV files a track takes as input, and their channels.
 * <p>
 * Threads: built once; used on the script thread.
 */
final class SourceApi {
    private SourceApi() {
    }

    /** The type of a source. */
    static ApiType<Source> source() {
        return new ApiType<>("Source", Source.class, "A generator or a WAV file that tracks can take as input.",
                Source::toString)
                .property("channels", "Number of channels (generators are mono).", Source::channels)
                .method("channel", "channel(n)", "Channel n (from 1), to feed one channel of a track.", Set.of(),
                        (s, a) -> {
                        a.check(1, Set.of());
                        return s.channel(Convert.integer(a.required(0, "a channel number"), a.method() + " channel",
                                1, Math.max(1, s.channels())));
                    });
    }

    /** The type of one channel of a source. */
    static ApiType<Source.SourceChannel> sourceChannel() {
        return new ApiType<>("SourceChannel", Source.SourceChannel.class, "One channel of a source.",
                Source.SourceChannel::toString)
                .property("source", "The source.", Source.SourceChannel::source)
                .property("number", "The channel number, from 1.", c -> c.index() + 1);
    }
}
