package desk.engine.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import desk.engine.RealTime;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The real-time rules and the engine's layering, checked on the compiled classes rather than by review.
 * Audio-thread code is every method annotated {@link RealTime} or named {@code rt...}; it may call only
 * audio-thread code (or methods of classes annotated {@link RealTime}) and a short list of JDK methods that
 * neither allocate, lock, block nor log. It constructs nothing.
 */
class RealTimeRulesTest {
    /** The engine's classes, without the tests. */
    static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("desk.engine");

    /**
     * JDK classes whose every non-constructor method is safe on the audio thread. The vector API's are, once
     * compiled: C2 turns them into vector instructions on registers (interpreted, they allocate, which is why
     * {@code EqBatch} runs its loops on the control thread until they are compiled).
     */
    private static final Set<String> SAFE_JDK_CLASSES = Set.of(
            "java.lang.Math", "java.lang.StrictMath",
            "jdk.incubator.vector.DoubleVector", "jdk.incubator.vector.FloatVector",
            "java.util.concurrent.atomic.AtomicLong", "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicBoolean", "java.util.concurrent.atomic.AtomicReference",
            "java.util.concurrent.atomic.AtomicReferenceArray", "java.util.concurrent.atomic.AtomicLongArray",
            "java.lang.invoke.VarHandle");

    /** Single JDK methods that are safe on the audio thread: copies, fills, bit views and clocks. */
    private static final Set<String> SAFE_JDK_METHODS = Set.of(
            "java.lang.System.arraycopy", "java.lang.System.nanoTime",
            "java.util.Arrays.fill",
            "java.lang.Float.isNaN", "java.lang.Float.isFinite", "java.lang.Float.isInfinite",
            "java.lang.Float.floatToRawIntBits", "java.lang.Float.intBitsToFloat", "java.lang.Float.compare",
            "java.lang.Double.isNaN", "java.lang.Double.isFinite", "java.lang.Double.isInfinite",
            "java.lang.Double.doubleToRawLongBits", "java.lang.Double.longBitsToDouble",
            "java.lang.Integer.bitCount", "java.lang.Integer.numberOfLeadingZeros",
            "java.lang.Long.numberOfLeadingZeros", "java.lang.Object.<init>", "java.lang.Thread.currentThread",
            "com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes",
            "java.lang.MatchException.<init>");

    /**
     * Calls the rules allow by name, each for a reason: the offline render's reading of clip files, which a live
     * engine never does; the Java Sound line's write, which is that
     * backend's clock (it waits for room in the device's buffer as a device callback waits for its period);
     * JNA's copies between native port buffers and preallocated float arrays, and its reads and writes of single
     * values in native memory (MIDI events, and an LV2 plugin's ports: its audio buffers, control values and atom
     * sequence headers); and the single int the audio thread writes into a mapped file to say whose plugin it
     * runs ({@code NativeCalls}).
     */
    private static final Set<String> ALLOWED_CALLS = Set.of(
            "desk.engine.clip.ClipPlayer.rtRender -> desk.engine.clip.ClipPlayer.readSpan",
            "desk.engine.backend.JavaSoundBackend.rtPlay -> javax.sound.sampled.SourceDataLine.available",
            "desk.engine.backend.JavaSoundBackend.rtPlay -> javax.sound.sampled.SourceDataLine.write",
            "desk.engine.backend.JackBackend.rtProcess -> desk.engine.backend.JackNative$MovablePointer.read",
            "desk.engine.backend.JackBackend.rtProcess -> desk.engine.backend.JackNative$MovablePointer.write",
            "desk.engine.backend.JackNative$MovablePointer.rtInt -> desk.engine.backend.JackNative$MovablePointer.getInt",
            "desk.engine.backend.JackNative$MovablePointer.rtLong -> desk.engine.backend.JackNative$MovablePointer.getLong",
            "desk.engine.backend.JackNative$MovablePointer.rtByte -> desk.engine.backend.JackNative$MovablePointer.getByte",
            "desk.engine.backend.JackNative$MovablePointer.rtSetByte -> desk.engine.backend.JackNative$MovablePointer.setByte",
            "desk.engine.lv2.Lv2Instance.rtRun -> com.sun.jna.Memory.write",
            "desk.engine.lv2.Lv2Instance.rtRun -> com.sun.jna.Memory.read",
            "desk.engine.lv2.Lv2Instance.rtRun -> com.sun.jna.Memory.setInt",
            "desk.engine.lv2.Lv2Instance.rtRun -> com.sun.jna.Memory.setFloat",
            "desk.engine.lv2.WorkRing.rtWrite -> com.sun.jna.Memory.setInt",
            "desk.engine.lv2.WorkRing.rtRead -> com.sun.jna.Memory.getInt",
            "desk.engine.lv2.Worker.rtDeliver -> com.sun.jna.Memory.setInt",
            "desk.engine.lv2.Worker.rtAwaitWork -> java.util.concurrent.locks.LockSupport.unpark",
            "desk.engine.lv2.Worker.rtAwaitWork -> java.util.concurrent.locks.LockSupport.parkNanos",
            "desk.engine.insert.NativeCalls.rtEnter -> java.nio.ByteBuffer.putInt",
            "desk.engine.insert.NativeCalls.rtLeave -> java.nio.ByteBuffer.putInt");

    private static final DescribedPredicate<JavaMethod> AUDIO_THREAD =
            DescribedPredicate.describe("run on the audio thread (annotated @RealTime or named rt...)",
                    RealTimeRulesTest::isAudioThread);

    /** A condition that an audio-thread method calls only audio-thread code. */
    static final ArchCondition<JavaMethod> CALL_ONLY_AUDIO_THREAD_CODE =
            new ArchCondition<>("call only audio-thread code and allocation-free JDK methods") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    for (JavaCall<?> call : method.getCallsFromSelf()) {
                        AccessTarget.CodeUnitCallTarget target = call.getTarget();
                        if (!allowed(method, target)) {
                            events.add(SimpleConditionEvent.violated(method, call.getDescription()));
                        }
                    }
                }
            };

    static boolean isAudioThread(JavaMethod method) {
        String name = method.getName();
        boolean rtNamed = name.length() > 2 && name.startsWith("rt") && Character.isUpperCase(name.charAt(2));
        return rtNamed || method.isAnnotatedWith(RealTime.class) || method.getOwner().isAnnotatedWith(RealTime.class);
    }

    private static boolean allowed(JavaMethod caller, AccessTarget.CodeUnitCallTarget target) {
        String owner = target.getOwner().getName();
        String name = target.getName();
        if (ALLOWED_CALLS.contains(caller.getOwner().getName() + "." + caller.getName() + " -> " + owner + "." + name)) {
            return true;
        }
        if (name.equals("ordinal") && target.getRawParameterTypes().isEmpty() || isRecordAccessor(target)) {
            return true;
        }
        if (owner.startsWith("desk.engine.")) {
            if (name.equals("<init>")) {
                return false;
            }
            boolean rtNamed = name.length() > 2 && name.startsWith("rt") && Character.isUpperCase(name.charAt(2));
            return rtNamed || target.isAnnotatedWith(RealTime.class)
                    || target.getOwner().isAnnotatedWith(RealTime.class);
        }
        if (name.equals("<init>")) {
            return SAFE_JDK_METHODS.contains(owner + "." + name);
        }
        return SAFE_JDK_CLASSES.contains(owner) || SAFE_JDK_METHODS.contains(owner + "." + name);
    }

    /** Whether {@code target} reads a component of a record: a plain field read. */
    private static boolean isRecordAccessor(AccessTarget.CodeUnitCallTarget target) {
        Class<?> owner = target.getOwner().reflect();
        if (!owner.isRecord() || !target.getRawParameterTypes().isEmpty()) {
            return false;
        }
        for (var component : owner.getRecordComponents()) {
            if (component.getName().equals(target.getName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void audioThreadCodeCallsOnlyAudioThreadCode() {
        ArchRule rule = methods().that(AUDIO_THREAD).should(CALL_ONLY_AUDIO_THREAD_CODE);
        rule.check(ENGINE);
    }

    @Test
    void theAudioSideAndItsPartsNeverReachUpToTheControlSideTheFacadeOrTheBackends() {
        noClasses().that().resideInAnyPackage("desk.engine.rt..", "desk.engine.meter..", "desk.engine.clip..",
                        "desk.engine.dsp..", "desk.engine.io..", "desk.engine.record..", "desk.engine.loudness..")
                .should().dependOnClassesThat().resideInAnyPackage("desk.engine.control..", "desk.engine.backend..",
                        "desk.engine.server..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("desk.engine.Engine")
                .check(ENGINE);
    }

    @Test
    void theControlSideNeverReachesUpToTheFacadeOrTheBackends() {
        noClasses().that().resideInAPackage("desk.engine.control..")
                .should().dependOnClassesThat().resideInAnyPackage("desk.engine.backend..", "desk.engine.server..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("desk.engine.Engine")
                .check(ENGINE);
    }

    @Test
    void deliveryWorksOnFilesAndProcessorsNeverOnTheGraph() {
        noClasses().that().resideInAPackage("desk.engine.delivery..")
                .should().dependOnClassesThat().resideInAnyPackage("desk.engine.control..", "desk.engine.rt..",
                        "desk.engine.backend..", "desk.engine.server..", "desk.engine.clip..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("desk.engine.Engine")
                .check(ENGINE);
    }

    @Test
    void backendsDriveTheNarrowCallbackNotTheEngine() {
        noClasses().that().resideInAPackage("desk.engine.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("desk.engine.control..", "desk.engine.rt..",
                        "desk.engine.server..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("desk.engine.Engine")
                .check(ENGINE);
    }
}
