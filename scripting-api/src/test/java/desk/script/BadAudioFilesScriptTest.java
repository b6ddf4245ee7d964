package desk.script;

import desk.engine.Engine;
import desk.engine.LocalEngineLink;
import desk.engine.backend.BlockSizes;
import desk.engine.backend.OfflineRenderer;
import desk.engine.io.SampleFormat;
import desk.engine.io.WavWriter;
import desk.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bad audio files from scripts, in both languages: a truncated WAV is refused by a clip and by a file input
 * with one line saying how to open it anyway, opened with {@code truncated: "allow"} it plays its real length
 * and a notice says so, another value of the option is refused; random bytes named .wav are refused; NaN
 * samples from a file input are counted on {@code meter.invalid} and reported in a notice.
 */
class BadAudioFilesScriptTest {
    private static final int RATE = 48_000;

    @TempDir
    Path folder;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    /** One second of 16-bit mono cut to half a second by dropping the file's tail. */
    private Path truncatedWav() throws IOException {
        Path file = folder.resolve("take.wav");
        float[] samples = new float[RATE];
        Arrays.fill(samples, 0.5f);
        try (WavWriter writer = WavWriter.create(file, RATE, 1, SampleFormat.PCM_16)) {
            writer.write(new float[][] {samples}, 0, RATE);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(44 + RATE);
        }
        return file;
    }

    private ScriptHost host(Session session) {
        return new ScriptHost(session, folder, false, OutputStreamSink.INSTANCE, errors);
    }

    private static String run(ScriptHost host, Language language, String js, String python) {
        return host.evaluate(language, language == Language.JS ? js : python, "<in>", value -> value.asString());
    }

    private static String caught(ScriptHost host, Language language, String jsCall, String pythonCall) {
        return run(host, language, "try { " + jsCall + "; 'accepted' } catch (e) { e.message }",
                "def attempt():\n    try:\n        " + pythonCall + "\n        return 'accepted'\n"
                        + "    except DeskError as e:\n        return str(e)\nattempt()");
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void aTruncatedFileIsRefusedUnlessAllowedThenPlaysItsRealLengthWithANotice(Language language) throws IOException {
        Path file = truncatedWav();
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 0)));
        String cut = file + ": data chunk says 96000 bytes at byte 44 but the file ends at byte 48044";
        String hint = "; open it with {truncated: \"allow\"} (truncated=\"allow\" in Python) to use the 0.5 s there";
        try (ScriptHost host = host(session)) {
            run(host, language, "var vox = session.track('Vox'); vox.monitoring = 'auto'; ''",
                    "vox = session.track('Vox')\nvox.monitoring = 'auto'\n''");

            assertEquals("Vox.clip: " + cut + " (truncated)" + hint,
                    caught(host, language, "vox.clip('take.wav')", "vox.clip('take.wav')"));
            assertEquals("session.file: " + cut + " (truncated)" + hint,
                    caught(host, language, "session.file('take.wav')", "session.file('take.wav')"));
            assertEquals("Vox.clip truncated \"yes\": must be \"allow\" (to open a WAV file that is cut short), or left out",
                    caught(host, language, "vox.clip('take.wav', {truncated: 'yes'})",
                            "vox.clip('take.wav', truncated='yes')"));
            assertEquals("session.file truncated " + (language == Language.JS ? "true" : "True") + ": must be \"allow\""
                            + " (to open a WAV file that is cut short), or left out", caught(host, language, "session.file('take.wav', {truncated: true})",
                            "session.file('take.wav', truncated=True)"));
            assertEquals("", errors.toString(StandardCharsets.UTF_8), "no notice for a refusal");
            assertEquals(0, session.find("Vox") instanceof desk.session.Track t ? t.clips().size() : -1);
            assertEquals(0, session.sources().size(), "nothing half-made");

            assertEquals("0.5 1", run(host, language,
                    "var clip = vox.clip('take.wav', {truncated: 'allow'});"
                            + " vox.input = session.file('take.wav', {truncated: 'allow'});"
                            + " clip.length + ' ' + session.sources.length",
                    "clip = vox.clip('take.wav', truncated='allow')\n"
                            + "vox.input = session.file('take.wav', truncated='allow')\n"
                            + "f'{clip.length} {len(session.sources)}'"));
            assertEquals("Vox.clip: " + file + " is truncated (data chunk says 96000 bytes at byte 44 but the file ends"
                    + " at byte 48044): it plays the 0.5 s there\n"
                    + "session.file: " + file + " is truncated (data chunk says 96000 bytes at byte 44 but the file"
                    + " ends at byte 48044): it plays the 0.5 s there\n", errors.toString(StandardCharsets.UTF_8));
            assertEquals("accepted", caught(host, language, "clip.gain = -6", "clip.gain = -6"),
                    "the clip keeps its allowance through an edit");
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void randomBytesNamedWavAreNotAWavFile(Language language) throws IOException {
        byte[] bytes = new byte[4_096];
        new Random(5).nextBytes(bytes);
        bytes[0] = 0x7F;
        Path file = Files.write(folder.resolve("noise.wav"), bytes);
        Session session = new Session(new LocalEngineLink(new Engine(RATE, 0)));
        try (ScriptHost host = host(session)) {
            run(host, language, "var vox = session.track('Vox'); ''", "vox = session.track('Vox')\n''");

            assertEquals("Vox.clip: " + file + ": not a WAV file (no RIFF/RF64 header at byte 0)",
                    caught(host, language, "vox.clip('noise.wav', {truncated: 'allow'})",
                            "vox.clip('noise.wav', truncated='allow')"));
            assertEquals("session.file: " + file + ": not a WAV file (no RIFF/RF64 header at byte 0)",
                    caught(host, language, "session.file('noise.wav')", "session.file('noise.wav')"));
        }
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void nanSamplesFromAFileInputAreCountedAndReportedOnce(Language language) throws IOException {
        float[] samples = new float[RATE / 2];
        Arrays.fill(samples, 0.25f);
        samples[100] = Float.NaN;
        samples[200] = Float.POSITIVE_INFINITY;
        samples[300] = Float.NaN;
        try (WavWriter writer = WavWriter.create(folder.resolve("nan.wav"), RATE, 1, SampleFormat.FLOAT_32)) {
            writer.write(new float[][] {samples}, 0, samples.length);
        }
        Engine engine = new Engine(RATE, 0);
        Session session = new Session(new LocalEngineLink(engine));
        try (ScriptHost host = host(session)) {
            run(host, language, "var fx = session.track('Fx'); fx.input = session.file('nan.wav'); ''",
                    "fx = session.track('Fx')\nfx.input = session.file('nan.wav')\n''");
            OfflineRenderer renderer = new OfflineRenderer(engine);
            for (long done = 0; done < 3L * RATE; done += 480) {
                long horizon = done + 480;
                host.control(() -> session.tick(horizon));
                renderer.render(480, BlockSizes.fixed(480), (master, frames) -> { });
            }

            assertEquals("3 3 3", run(host, language,
                    "[fx.meter.invalid, fx.meter.pre.invalid, fx.meter.input.invalid].join(' ')",
                    "' '.join(str(int(v)) for v in [fx.meter.invalid, fx.meter.pre.invalid, fx.meter.input.invalid])"));
            assertEquals("Fx: 3 invalid samples (NaN or infinite) reached its input and played as silence;"
                    + " Fx.meter.invalid is 3\n", errors.toString(StandardCharsets.UTF_8), "one notice, once");
        }
    }
}
