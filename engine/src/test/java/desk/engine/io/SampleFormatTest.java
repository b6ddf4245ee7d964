package desk.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleFormatTest {
    @Test
    void knowsItsSizesAndTags() {
        assertEquals(2, SampleFormat.PCM_16.bytesPerSample());
        assertEquals(3, SampleFormat.PCM_24.bytesPerSample());
        assertEquals(4, SampleFormat.FLOAT_32.bytesPerSample());
        assertEquals(16, SampleFormat.PCM_16.bitsPerSample());
        assertEquals(24, SampleFormat.PCM_24.bitsPerSample());
        assertEquals(32, SampleFormat.FLOAT_32.bitsPerSample());
        assertEquals(1, SampleFormat.PCM_16.wavFormatTag());
        assertEquals(1, SampleFormat.PCM_24.wavFormatTag());
        assertEquals(3, SampleFormat.FLOAT_32.wavFormatTag());
        assertFalse(SampleFormat.PCM_24.isFloat());
        assertTrue(SampleFormat.FLOAT_32.isFloat());
    }

    @Test
    void parsesTheAcceptedNames() {
        assertEquals(SampleFormat.PCM_16, SampleFormat.parse("16"));
        assertEquals(SampleFormat.PCM_24, SampleFormat.parse(" 24 "));
        assertEquals(SampleFormat.FLOAT_32, SampleFormat.parse("32f"));
        assertEquals(SampleFormat.FLOAT_32, SampleFormat.parse("32F"));
        assertEquals(SampleFormat.FLOAT_32, SampleFormat.parse("float"));
        assertEquals(SampleFormat.FLOAT_32, SampleFormat.parse("FLOAT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "32", "8", "", "pcm16", "1 6"})
    void rejectsOtherNamesInOneLine(String name) {
        IllegalArgumentException failure =
                assertThrows(IllegalArgumentException.class, () -> SampleFormat.parse(name));

        assertEquals("sample format \"" + name + "\": use 16, 24 or 32f", failure.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException failure =
                assertThrows(IllegalArgumentException.class, () -> SampleFormat.parse(null));

        assertEquals("sample format \"null\": use 16, 24 or 32f", failure.getMessage());
    }
}
