# A MIDI fader box on a small mix: faders on controls 0..2, mute buttons on 32..34, program changes calling up
# scenes, and feedback to the box's motorised faders or LEDs. Live on JACK, connect your controller's port
# (session.midi.available lists them) and move it. Offline, the script plays the controller itself with
# session.midi.receive inside session.at, so the render is the same every run and the checks below hold: the
# vocal fader lands where the control put it, a button mutes the keys, program 1 recalls the chorus.
# Run it:  ./desk run examples/midi-controller.py --offline --seconds 4 --out midi.wav
#          ./desk run examples/midi-controller.py        (live: connect a controller to desk:box)
# desk example: --seconds 4
import math

box = session.midi.input("box")
session.midi.output("box-leds")

vocal = session.track("Vocal")
vocal.input = session.generator("sine", freq=440, level=-18)
keys = session.track("Keys")
keys.input = session.generator("sine", freq=330, level=-18)
keys.pan = -0.3
bass = session.track("Bass")
bass.input = session.generator("sine", freq=110, level=-18)

for i, track in enumerate([vocal, keys, bass]):
    session.midi.map({"cc": i}, track, "fader", feedback="box-leds")
    session.midi.map({"cc": 32 + i}, track, "mute", feedback="box-leds")

vocal.fader = -6
session.scene("verse")
vocal.fader = -2
keys.fader = -10
session.scene("chorus")
session.recall("verse")

scenes = ["verse", "chorus"]
session.midi.on("program", lambda e: session.recall(scenes[int(e.number) % len(scenes)]))

# The controller, as a performer would play it. Soft takeover: the vocal is at -6 dB (66% of the fader's
# travel), so the control at 50% does nothing until it comes up past the vocal's level.
session.at(0.5, lambda: session.midi.receive("box", [0xB0, 0, 64]))
session.at(1.0, lambda: session.midi.receive("box", [0xB0, 0, 120]))
session.at(1.5, lambda: session.midi.receive("box", [0xB0, 33, 127]))
session.at(2.5, lambda: session.midi.receive("box", [0xC0, 1, 0]))


def root(db):
    return math.pow(10, db / 80)


at(0.9, lambda: expect(vocal.fader, "held by soft takeover").to_be(-6))
at(1.4, lambda: expect(vocal.fader, "the control crossed the fader and took it").to_be_close_to(
    80 * math.log10(root(-60) + 120 / 127 * (root(6) - root(-60))), 1e-9))
at(2.0, lambda: expect(keys.mute, "the button muted the keys").to_be(True))
at(3.0, lambda: expect(vocal.fader, "program 1 recalled the chorus").to_be(-2))


def report():
    expect(session.midi.received, "four messages").to_be(4)
    print(str(len(session.midi.mappings)) + " mappings; " + str(session.midi.mappings[0]))


at(3.5, report)

session.play()
