// A tester's scenario: a reproducible offline render with checks on the levels, for CI. It builds a small
// session, moves it on a sample-exact timeline and checks the meters against what the signal flow says:
// a -20 dBFS sine panned to the centre (-3 dB pan law) peaks at -23 dBFS on each side of the master.
// Every failed check is printed with its line and the run exits 1; --junit writes a report for CI.
// Run it:  ./desk run examples/level-check.js --offline --seconds 4 --out check.wav --junit checks.xml
// desk example: --seconds 4

const tone = session.track("Tone");
tone.input = session.generator("sine", {freq: 1000, level: -20});
const group = session.bus("Group");
tone.output = group;

at(0.5, () => {
  expect(session.master.meter.peak, "centre-panned tone peaks at -23 dBFS").toBeCloseTo(-23.01, 0.05);
  expect(tone.meter.rms, "a sine's RMS is 3 dB under its peak").toBeCloseTo(-23.01, 0.05);
  tone.ramp("fader", -12, 1.0);
});
at(1.75, () => {
  expect(tone.fader).toBe(-12);
  expect(session.master.meter.peak).toBeCloseTo(-35.01, 0.05);
  tone.output = session.master;
});
at(2.5, () => {
  expect(session.master.meter.peak, "re-routed around the group: same level").toBeCloseTo(-35.01, 0.05);
  tone.mute = true;
});
at(3.5, () => {
  expect(session.master.meter.rms, "silent once muted").toBeBelow(-120);
  expect(session.master.meter.peak, "the peak display falls 20 dB in 1.7 s").toBeCloseTo(-35.01 - 20 / 1.7, 0.3);
});

session.play();
