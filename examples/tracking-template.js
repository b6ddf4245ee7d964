// A tracking template: four tracks on their inputs, monitoring "auto", a level check before recording, then
// a punched take of every armed track. The usual tracking practice: a low buffer so the players hear
// themselves without delay (start desk with --buffer 64 or 128), inputs assigned, monitoring "auto" (the
// live input while armed and stopped or recording, playback otherwise), recording peaks below -6 dBFS with
// room to spare. Test tones stand in for the band so it runs anywhere: give each track its capture port
// instead, e.g. vox.input = "system:capture_4".
//   - bar 1: a soundcheck pass, every track heard on its input; at beat 4 the levels are checked
//   - bars 2 to 3: recorded (punch in at 2:1:0, out at 4:1:0); then the transport stops
// Run it live:  ./desk --buffer 64 run examples/tracking-template.js --session my-song --seconds 8
// Takes land in my-song/takes/ (Kick-001.wav, ...); without --session only the soundcheck runs.
// desk example: --seconds 7

session.tempo = 120;
const band = [
  ["Kick", 1, [session.generator("sine", {freq: 55, level: -10})]],
  ["Bass", 1, [session.generator("sine", {freq: 110, level: -12})]],
  ["Gtr", 2, [session.generator("sine", {freq: 330, level: -14}), session.generator("sine", {freq: 331, level: -14})]],
  ["Vox", 1, [session.generator("sine", {freq: 220, level: -12})]],
];
const tracks = band.map(([name, channels, inputs]) => {
  const track = session.track(name, {channels: channels});
  track.input = inputs.length === 1 ? inputs[0] : inputs;
  track.armed = true;
  track.monitoring = "input";
  return track;
});
session.recordFormat = "24";
session.punchIn = "2:1:0";
session.punchOut = "4:1:0";

at("1:4:0", () => {
  let ready = true;
  for (const track of tracks) {
    const peak = track.meter.pre.peakHold;
    ready = expect(peak, track.name + " peaks below -6 dBFS").toBeBelow(-6) && ready;
    ready = expect(peak, track.name + " peaks above -30 dBFS").toBeAbove(-30) && ready;
  }
  for (const track of tracks) {
    track.monitoring = "auto";
  }
  if (session.folder === null) {
    print("no session folder (--session DIR): soundcheck only, nothing recorded");
  } else if (ready) {
    session.record();
  } else {
    print("levels are off: not recording");
  }
});

at("4:1:0", () => {
  session.stop();
  if (session.folder !== null) {
    expect(session.takes.length, "one take per armed track").toBe(tracks.length);
    print(session.takes.map(take => take.file + " at " + take.position + " s").join("\n"));
  }
});

session.play();
