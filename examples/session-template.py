# A band tracking-and-mixing template: drums, bass, guitar and vocals, a drum group bus and a reverb return.
# Gain staging follows the usual targets: tracks recorded to peak around -18..-12 dBFS (trim does that, per
# input), faders below 0 dB so the mix keeps headroom, the master left at 0 dB to peak around -6..-3 dBFS.
# Run it:  ./desk run examples/session-template.py            (live, on the built-in backend)
#          ./desk run examples/session-template.py --offline --seconds 2 --out mix.wav

drums = session.bus("Drums", kind="group")
reverb = session.bus("Reverb", kind="aux")

layout = [
    # name,       channels, inputs,                                 trim, fader, pan,  reverb send
    ("Kick",      1, "system:capture_1",                            0,    -4,    0,    None),
    ("Snare",     1, "system:capture_2",                            2,    -5,    0,    -18),
    ("Overheads", 2, ["system:capture_3", "system:capture_4"],      0,    -8,    0,    -20),
    ("Bass",      1, "system:capture_5",                            3,    -4,    0,    None),
    ("Guitar",    1, "system:capture_6",                            0,    -7,    0.35, -16),
    ("Vocal",     1, "system:capture_7",                            4,    -3,    0,    -12),
]

for name, channels, inputs, trim, fader, position, reverb_send in layout:
    track = session.track(name, channels=channels)
    track.input = inputs
    track.trim = trim
    track.fader = fader
    if channels == 1:
        track.pan = position
    else:
        track.balance = position
    if name in ("Kick", "Snare", "Overheads"):
        track.output = drums
    if reverb_send is not None:
        track.send(reverb, level=reverb_send, pre=False)

drums.fader = -2
reverb.fader = -8
reverb.soloSafe = True
session.master.fader = 0


# Check what was built: a template that half-applied would be worse than none.
def check(condition, what):
    if not condition:
        raise AssertionError("template check failed: " + what)


check(len(session.tracks) == 6, "six tracks")
check(all(t.fader < 0 for t in session.tracks), "every track fader below 0 dB, for headroom")
check(len([t for t in session.tracks if t.output == drums]) == 3, "kick, snare and overheads feed the drum bus")
check(len([t for t in session.tracks if any(s.bus == reverb for s in t.sends)]) == 4, "four sends to the reverb")
check(len(session.find("Overheads").input) == 2, "overheads take two inputs")
check(reverb.soloSafe, "the reverb return is solo-safe")

for strip in session.tracks + session.buses + [session.master]:
    print(strip)
