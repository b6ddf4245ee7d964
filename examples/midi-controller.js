// A MIDI fader box on a small mix: faders on controls 0..2, mute buttons on 32..34, program changes calling up
// scenes, and feedback to the box's motorised faders or LEDs. Live on JACK, connect your controller's port
// (session.midi.available lists them) and move it. Offline, the script plays the controller itself with
// session.midi.receive inside session.at, so the render is the same every run and the checks below hold: the
// vocal fader lands where the control put it, a button mutes the keys, program 1 recalls the chorus.
// Run it:  ./desk run examples/midi-controller.js --offline --seconds 4 --out midi.wav
//          ./desk run examples/midi-controller.js        (live: connect a controller to desk:box)
// desk example: --seconds 4

const box = session.midi.input("box");
session.midi.output("box-leds");

const vocal = session.track("Vocal");
vocal.input = session.generator("sine", {freq: 440, level: -18});
const keys = session.track("Keys");
keys.input = session.generator("sine", {freq: 330, level: -18});
keys.pan = -0.3;
const bass = session.track("Bass");
bass.input = session.generator("sine", {freq: 110, level: -18});

[vocal, keys, bass].forEach((track, i) => {
  session.midi.map({cc: i}, track, "fader", {feedback: "box-leds"});
  session.midi.map({cc: 32 + i}, track, "mute", {feedback: "box-leds"});
});

vocal.fader = -6;
session.scene("verse");
vocal.fader = -2;
keys.fader = -10;
session.scene("chorus");
session.recall("verse");

const scenes = ["verse", "chorus"];
session.midi.on("program", (e) => session.recall(scenes[e.number % scenes.length]));

// The controller, as a performer would play it. Soft takeover: the vocal is at -6 dB (66% of the fader's
// travel), so the control at 50% does nothing until it comes up past the vocal's level.
session.at(0.5, () => session.midi.receive("box", [0xB0, 0, 64]));
session.at(1.0, () => session.midi.receive("box", [0xB0, 0, 120]));
session.at(1.5, () => session.midi.receive("box", [0xB0, 33, 127]));
session.at(2.5, () => session.midi.receive("box", [0xC0, 1, 0]));

at(0.9, () => expect(vocal.fader, "held by soft takeover").toBe(-6));
at(1.4, () => expect(vocal.fader, "the control crossed the fader and took it").toBeCloseTo(
  80 * Math.log10(Math.pow(10, -60 / 80) + 120 / 127 * (Math.pow(10, 6 / 80) - Math.pow(10, -60 / 80))), 1e-9));
at(2.0, () => expect(keys.mute, "the button muted the keys").toBe(true));
at(3.0, () => expect(vocal.fader, "program 1 recalled the chorus").toBe(-2));
at(3.5, () => {
  expect(session.midi.received, "four messages").toBe(4);
  print(session.midi.mappings.length + " mappings; " + session.midi.mappings[0]);
});

session.play();
