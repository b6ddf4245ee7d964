/* A plugin made for the tests: it passes its input through until its "crash" switch is on, then writes to
 * address 0 in run(), taking down the process it runs in. Built without the C library or LV2 headers. */
typedef struct {
    const char *uri;
    void *(*instantiate)(const void *descriptor, double rate, const char *bundle, const void *const *features);
    void (*connect_port)(void *instance, unsigned port, void *data);
    void (*activate)(void *instance);
    void (*run)(void *instance, unsigned frames);
    void (*deactivate)(void *instance);
    void (*cleanup)(void *instance);
    const void *(*extension_data)(const char *uri);
} Descriptor;

typedef struct {
    const float *in;
    float *out;
    const float *crash;
} Crash;

static Crash instances[64];
static int made;

static void *instantiate(const void *descriptor, double rate, const char *bundle, const void *const *features) {
    return made < 64 ? &instances[made++] : 0;
}

static void connect_port(void *instance, unsigned port, void *data) {
    Crash *crash = instance;
    if (port == 0) {
        crash->in = data;
    } else if (port == 1) {
        crash->out = data;
    } else {
        crash->crash = data;
    }
}

static void run(void *instance, unsigned frames) {
    Crash *crash = instance;
    if (crash->crash && *crash->crash > 0.5f) {
        *(volatile int *) 0 = 0;
    }
    for (unsigned i = 0; i < frames; i++) {
        crash->out[i] = crash->in[i];
    }
}

static void cleanup(void *instance) {
}

static const Descriptor descriptor = {"urn:desk:test:crash", instantiate, connect_port, 0, run, 0, cleanup, 0};

__attribute__((visibility("default"))) const Descriptor *lv2_descriptor(unsigned index) {
    return index == 0 ? &descriptor : 0;
}
