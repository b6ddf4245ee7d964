package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A clip placed from a script on a track that monitors its input (the default, which never plays clips) brings
 * one notice saying how to hear it, in both languages: for the track's first clip only, and not on a track
 * that already plays its clips.
 */
class ClipMonitoringNoticeTest {
    private static final int RATE = 48_000;

    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(Language.class)
    void aClipOnATrackMonitoringItsInputSaysHowToHearIt(Language language) throws IOException {
        try (WavWriter writer = WavWriter.create(folder.resolve("loop.wav"), RATE, 1, SampleFormat.PCM_16)) {
            writer.write(new float[][] {new float[RATE / 10]}, 0, RATE / 10);
        }
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 0)));
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        try (ScriptHost host = new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE, notices)) {
            String js = """
                    const loop = session.track('Loop');
                    loop.clip('loop.wav');
                    loop.clip('loop.wav', {at: 1});
                    const drums = session.track('Drums');
                    drums.monitoring = 'auto';
                    drums.clip('loop.wav');
                    loop.clips.length + drums.clips.length + ''
                    """;
            String python = """
                    loop = session.track('Loop')
                    loop.clip('loop.wav')
                    loop.clip('loop.wav', at=1)
                    drums = session.track('Drums')
                    drums.monitoring = 'auto'
                    drums.clip('loop.wav')
                    str(len(loop.clips) + len(drums.clips))
                    """;
            assertEquals("3", host.evaluate(language, language == Language.JS ? js : python, "<in>",
                    value -> value.asString()));
        }
        assertEquals("Loop.clip: Loop monitors its input (\"input\"), which never plays clips: set its monitoring"
                + " to \"auto\" or \"off\" to hear them\n", notices.toString(StandardCharsets.UTF_8));
    }
}
