package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where scripts' relative audio paths lead, in both languages: a clip's or a file input's path is looked up
 * in the session folder first (where the takes are: "takes/Vox-001.wav"), then in the working folder; a file
 * in neither is refused with one line naming both folders.
 */
class AudioFilePathsTest {
    private static final int RATE = 48_000;

    @TempDir
    Path root;

    private static void wav(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (WavWriter writer = WavWriter.create(file, RATE, 1, SampleFormat.PCM_16)) {
            writer.write(new float[][] {new float[RATE / 10]}, 0, RATE / 10);
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void relativePathsTryTheSessionFolderThenTheWorkingFolder(Language language) throws IOException {
        Path work = Files.createDirectories(root.resolve("work"));
        Path sessionFolder = Files.createDirectories(root.resolve("session"));
        wav(sessionFolder.resolve("takes").resolve("Vox-001.wav"));
        wav(work.resolve("loop.wav"));
        wav(work.resolve("takes").resolve("Vox-001.wav"));
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 0)));
        session.recorder().folder(sessionFolder);
        try (ScriptHost host = new ScriptHost(session, work, false, OutputStreamSink.INSTANCE,
                OutputStreamSink.INSTANCE)) {
            String js = """
                    const vox = session.track('Vox');
                    const take = vox.clip('takes/Vox-001.wav');
                    const loop = vox.clip('loop.wav', {at: 1});
                    let refused;
                    try { vox.clip('gone.wav'); } catch (e) { refused = e.message; }
                    [take.file, loop.file, refused].join(' | ')
                    """;
            String python = """
                    vox = session.track('Vox')
                    take = vox.clip('takes/Vox-001.wav')
                    loop = vox.clip('loop.wav', at=1)
                    try:
                        vox.clip('gone.wav')
                    except DeskError as e:
                        refused = str(e)
                    ' | '.join([take.file, loop.file, refused])
                    """;
            String said = host.evaluate(language, language == Language.JS ? js : python, "<in>", v -> v.asString());
            assertEquals("takes/Vox-001.wav | loop.wav | Vox.clip \"gone.wav\": no such file in the session folder "
                    + sessionFolder + " or the working folder " + work, said);
            assertEquals(sessionFolder.resolve("takes").resolve("Vox-001.wav"),
                    session.tracks().getFirst().clips().getFirst().file(), "the take in the session folder, not the"
                            + " file of the same name in the working folder");
        }
    }
}
