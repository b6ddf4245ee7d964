package desk.repl;

import desk.engine.Engine;
import desk.engine.GeneratorType;
import desk.engine.LocalEngineLink;
import desk.engine.fx.BuiltIns;
import desk.session.DeskException;
import desk.session.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tab inside quotes offers what the place before the opening quote accepts, in JavaScript's and Python's
 * syntax alike, and every value offered is one the session takes there.
 */
class QuotedNamesTest {
    private Session session;

    @BeforeEach
    void setUp() {
        session = new Session(new LocalEngineLink(new Engine(48000, 4)));
        session.track("Vox");
        session.track("Gtr", 2);
        session.bus("Drums");
        session.bus("Verb", "aux", 2);
    }

    /** The values offered inside the string that {@code line} ends in. */
    private List<String> offered(String line) {
        int quote = QuotedNames.openQuote(line);
        assertTrue(quote >= 0, "the end of " + line + " is inside a string");
        return QuotedNames.values(line.substring(0, quote), session);
    }

    @Test
    void anInputOffersTheCapturePortsAndNoPlaybackPort() {
        for (String line : List.of("vox.input = \"", "vox.input=\"sys", "session.track(\"Vox\").input = '",
                "gtr.input = [\"system:capture_1\", \"", "gtr.input = [None, '")) {
            List<String> values = offered(line);
            assertTrue(values.contains("system:capture_1"), line + " offers " + values);
            assertFalse(values.stream().anyMatch(value -> value.startsWith("system:playback_")), line + " offers " + values);
            assertEquals(session.inputs(), values, line);
        }
        for (String port : offered("vox.input = \"")) {
            assertDoesNotThrow(() -> session.track("Vox").input(port), port);
        }
    }

    @Test
    void anOutputOffersTheBusesAndTheMasterAndASendTheBusesOnly() {
        assertEquals(List.of("Drums", "Verb", "master"), offered("vox.output = \""));
        assertEquals(List.of("Drums", "Verb", "master"), offered("vox.output = '"));
        assertEquals(List.of("Drums", "Verb"), offered("vox.send(\""));
        assertEquals(List.of("Drums", "Verb"), offered("session.find('Vox').send('"));
        for (String bus : offered("vox.output = \"")) {
            assertDoesNotThrow(() -> session.track("Vox").output(session.find(bus) instanceof desk.session.Bus b ? b : null));
        }
    }

    @Test
    void aGeneratorOffersExactlyTheTypesTheEngineMakes() {
        List<String> engineTypes = Arrays.stream(GeneratorType.values()).map(GeneratorType::scriptName).toList();
        assertEquals(engineTypes, offered("session.generator(\""));
        assertEquals(engineTypes, offered("vox.input = session.generator('"));
        assertFalse(offered("session.generator(\"").contains("white"), "a color is not a generator type");
        for (String type : engineTypes) {
            assertDoesNotThrow(() -> session.generator(type, Map.of()), type);
        }
        DeskException refused = assertThrows(DeskException.class, () -> session.generator("saw", Map.of()));
        assertEquals("generator type \"saw\": must be sine, square, noise, impulse or silence", refused.getMessage());
    }

    @Test
    void aNoiseColorAndABusKindOfferTheirWordsInEitherLanguage() {
        assertEquals(List.of("white", "pink"), offered("session.generator(\"noise\", {color: \""));
        assertEquals(List.of("white", "pink"), offered("session.generator(\"noise\", {\"color\": \""));
        assertEquals(List.of("white", "pink"), offered("session.generator(\"noise\", color=\""));
        for (String color : offered("session.generator(\"noise\", color=\"")) {
            Map<String, Object> options = new HashMap<>();
            options.put("color", color);
            assertDoesNotThrow(() -> session.generator("noise", options), color);
        }
        assertEquals(List.of("group", "aux"), offered("session.bus(\"FX\", {kind: \""));
        assertEquals(List.of("group", "aux"), offered("session.bus(\"FX\", kind='"));
        for (String kind : offered("session.bus(\"FX\", kind='")) {
            assertDoesNotThrow(() -> session.bus("New " + kind, kind, 2), kind);
        }
    }

    @Test
    void anInsertOffersTheBuiltInTypesThenThePluginsAndMonitoringItsModes() {
        List<String> types = BuiltIns.all().stream().map(type -> type.name()).toList();
        List<String> offered = offered("vox.insert(\"");
        assertEquals(types, offered.subList(0, types.size()), "the built-in types first");
        assertTrue(offered.contains("lv2:http://plugin.org.uk/swh-plugins/amp"), "a plugin by its URI");
        assertTrue(offered.contains("lv2:Simple amplifier"), "a plugin by its unique name");
        assertFalse(offered.contains("lv2:http://gareus.org/oss/lv2/meters#goniometer"), "not one Desk cannot host");
        assertEquals(offered, offered("session.master.insert('"));
        assertTrue(offered("session.plugins(\"").contains("Simple amplifier"));
        assertEquals(List.of("input", "auto", "off"), offered("vox.monitoring = \""));
    }

    @Test
    void aLookupByNameOffersTheStripsOfThatKind() {
        assertEquals(List.of("Vox", "Gtr"), offered("session.track(\""));
        assertEquals(List.of("Drums", "Verb"), offered("session.bus('"));
        assertEquals(List.of("Vox", "Gtr", "Drums", "Verb", "master"), offered("session.find(\""));
    }

    @Test
    void theMastersPortsOfferThePlaybackPorts() {
        assertEquals(session.outputs(), offered("session.master.connectOut(\""));
        assertEquals(session.outputs(), offered("session.master.connectOut([\"system:playback_1\", \""));
        assertTrue(offered("session.master.connectOut(\"").contains("system:playback_1"));
    }

    @Test
    void anyOtherStringOffersEveryName() {
        List<String> values = offered("print(\"");
        for (String name : List.of("Vox", "Drums", "master", "system:capture_1", "system:playback_1", "sine", "pink",
                "aux", "reverb")) {
            assertTrue(values.contains(name), name + " in " + values);
        }
        assertEquals(values.stream().distinct().toList(), values, "each once");
    }

    @Test
    void theOpeningQuoteIsFoundPastClosedStringsAndEscapes() {
        assertEquals(-1, QuotedNames.openQuote("session.track(\"Vox\")"));
        assertEquals(-1, QuotedNames.openQuote("x = 'it\\'s'"));
        assertEquals(17, QuotedNames.openQuote("session.bus(\"A\", \"B"));
        assertEquals(4, QuotedNames.openQuote("x = \"it's"));
        assertEquals(4, QuotedNames.openQuote("x = 'say \"hi\""));
    }
}
