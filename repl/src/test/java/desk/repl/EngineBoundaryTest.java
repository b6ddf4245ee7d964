package desk.repl;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine's internals stay internal: the session, the scripting API and the REPL reach the engine only
 * through its facade, its commands and its public value types, never through its control side, its audio
 * side or its clip streaming.
 */
class EngineBoundaryTest {
    private static final JavaClasses DESK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("desk");

    @Test
    void nothingOutsideTheEngineReachesItsInternalPackages() {
        noClasses().that().resideOutsideOfPackage("desk.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("desk.engine.control..", "desk.engine.rt..",
                        "desk.engine.clip..")
                .check(DESK);
    }
}
