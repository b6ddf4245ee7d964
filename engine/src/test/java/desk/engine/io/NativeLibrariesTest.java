package desk.engine.io;

import com.sun.jna.Library;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A C library that is not there is one line naming what to install, never a linking error. */
class NativeLibrariesTest {
    private interface Nothing extends Library {
    }

    @Test
    void aMissingLibraryIsOneLineSayingWhatToInstall() {
        IOException missing = assertThrows(IOException.class, () -> NativeLibraries.load(Nothing.class,
                "this needs libnothing (on Debian: apt-get install nothing)", "nothing-at-all", "libnothing.so.9"));
        assertEquals("this needs libnothing (on Debian: apt-get install nothing)", missing.getMessage());
    }
}
