package desk.engine.lv2;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import desk.engine.RealTime;

/**
 * Calls a C function through a pointer without allocating: libffi's {@code ffi_call}, bound by JNA's direct
 * mapping (primitive arguments only, so a call allocates nothing on the Java heap). A plugin's {@code run}
 * is reached this way on the audio thread; its other entry points, off it, the same way for uniformity.
 * Threads: {@link #signature} on the control thread; {@link #rtCall} on any thread.
 */
final class Ffi {
    private static final String[] LIBRARY_NAMES = {"ffi", "libffi.so.8", "libffi.so.7"};
    /** libffi's default calling convention: FFI_UNIX64 on x86-64, FFI_SYSV on AArch64. */
    private static final int DEFAULT_ABI = Platform.isIntel() && Platform.is64Bit() ? 2 : 1;
    /** Bytes for an {@code ffi_cif}: 32 on LP64 systems, rounded up for ports that add fields. */
    private static final int CIF_BYTES = 64;
    private static final NativeLibrary LIBRARY = load();

    private Ffi() {
    }

    private static NativeLibrary load() {
        UnsatisfiedLinkError last = null;
        for (String name : LIBRARY_NAMES) {
            try {
                NativeLibrary library = NativeLibrary.getInstance(name);
                Native.register(Ffi.class, library);
                return library;
            } catch (UnsatisfiedLinkError e) {
                last = e;
            }
        }
        throw last;
    }

    private static native int ffi_prep_cif(long cif, int abi, int argumentCount, long returnType, long argumentTypes);

    @RealTime
    private static native void ffi_call(long cif, long function, long returnValue, long argumentValues);

    /** The argument and return types a signature can use. */
    enum Type {
        VOID("ffi_type_void"), POINTER("ffi_type_pointer"), UINT32("ffi_type_uint32");

        private final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }

        long address() {
            return Pointer.nativeValue(LIBRARY.getGlobalVariableAddress(symbol));
        }
    }

    /** A prepared call interface for a void function taking {@code arguments}. */
    static Signature signature(Type... arguments) {
        Memory cif = new Memory(CIF_BYTES);
        cif.clear();
        Memory types = new Memory((long) Native.POINTER_SIZE * Math.max(1, arguments.length));
        for (int i = 0; i < arguments.length; i++) {
            types.setPointer((long) i * Native.POINTER_SIZE, new Pointer(arguments[i].address()));
        }
        int status = ffi_prep_cif(Pointer.nativeValue(cif), DEFAULT_ABI, arguments.length, Type.VOID.address(),
                Pointer.nativeValue(types));
        if (status != 0) {
            throw new IllegalStateException("libffi could not prepare a call (status " + status + ")");
        }
        return new Signature(cif, types);
    }

    /** A call interface prepared by {@link #signature}; its native memory lives as long as it does. */
    static final class Signature {
        private final Memory cif;
        private final Memory types;
        private final long cifAddress;

        private Signature(Memory cif, Memory types) {
            this.cif = cif;
            this.types = types;
            this.cifAddress = Pointer.nativeValue(cif);
        }

        /** Calls {@code function} with the argument values {@code argumentValues} points to (an array of pointers). */
        @RealTime
        void rtCall(long function, long argumentValues) {
            ffi_call(cifAddress, function, 0L, argumentValues);
        }
    }
}
