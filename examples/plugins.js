// Plugins: the LV2 plugins already installed on this machine, on Desk's strips beside the built-in inserts.
// It looks the plugins up, puts x42's four-band EQ and a Steve Harris amplifier on a vocal, x42's digital peak
// limiter on the master (it reports its lookahead, which delay compensation takes in), x42's preset convolver
// with its own "No-OP Mono" preset on a tone (it loads that impulse response on its worker thread), automates a
// plugin parameter like any insert's, and checks what the chains do: the run fails (exit 1) if they do not.
// Needs liblilv-0-0 with x42-plugins and swh-lv2 (./desk test installs them); see docs/plugins.md.
// Run it:  ./desk run examples/plugins.js --offline --seconds 3 --out plugins.wav
// desk example: --seconds 3

const limiters = session.plugins("dpl").filter(p => p.hostable);
print("peak limiters here: " + limiters.map(p => p.name + " (" + p.inputs + " in)").join(", "));

const vocal = session.track("Vocal", {channels: 2});
vocal.input = session.generator("noise", {color: "pink", level: -20, seed: 9});
const eq = vocal.insert("lv2:http://gareus.org/oss/lv2/fil4#stereo",
    {HighPass: true, HPfreq: 80, gain3: 3, freq3: 3000, q3: 0.8});
const level = vocal.insert("lv2:Simple amplifier", {gain: 12});   // mono: it runs as a pair on this stereo track
const limiter = session.master.insert("lv2:http://gareus.org/oss/lv2/dpl#stereo",
    {threshold: -3, truepeak: true});
level.ramp("gain", 18, 1.0);

const room = session.track("Room");
room.input = session.generator("sine", {freq: 440, level: -24});
const convolver = room.insert("lv2:http://gareus.org/oss/lv2/zeroconvolv#Mono", {preset: "No-OP Mono"});

at(0.5, () => {
  expect(eq.HighPass, "a switch reads as true or false").toBe(true);
  expect(limiter.latency, "the limiter reports its lookahead").toBeAbove(0);
  expect(session.latency.inserts, "the session's latency: the convolver's, then the limiter's lookahead")
      .toBe(convolver.latency + limiter.latency);
});
at(2.5, () => {
  expect(level.gain, "the ramp reached its target").toBe(18);
  expect(vocal.meter.peak, "pushed well past the limiter's threshold").toBeAbove(0);
  expect(session.master.meter.peak, "the limiter holds the master at its -3 dB threshold").toBeBelow(-2.99);
  expect(room.meter.peak, "a unit impulse response passes the tone at its level").toBeAbove(-24.01);
  expect(room.meter.peak, "and no louder").toBeBelow(-23.99);
});

session.play();
