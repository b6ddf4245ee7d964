// Loop recording: the band goes round bars 2 and 3 while the singer sings three passes; every pass is kept
// in one take file and the clip on the track is the last complete pass, at the loop start. A test tone
// stands in for the singer so it runs anywhere: give the track its capture port instead, e.g.
// vox.input = "system:capture_1".
//   - bar 1: count-in, then the transport jumps to the loop on the bar line
//   - bars 2 to 3, three times round: recorded; the transport stops when the third pass ends (the eighth bar line)
// Run it live:  ./desk run examples/loop-take.js --session my-song --seconds 15
// desk example: --seconds 15

session.tempo = 120;
const bass = session.track("Bass");
bass.input = session.generator("sine", {freq: 110, level: -12});
const vox = session.track("Vox");
vox.input = session.generator("sine", {freq: 220, level: -14});
vox.armed = true;
vox.monitoring = "auto";
session.loop("2:1:0", "4:1:0");

let bars = 0;
every("1 bar", () => {
  bars += 1;
  if (bars === 8) {
    session.stop();
    if (session.folder !== null) {
      expect(vox.takes.length, "one take, holding every pass").toBe(1);
      print("recorded " + vox.takes[0].file + "; when it is closed its clip is the third pass, at "
        + session.loopStart + " s");
    }
  }
});

at("1:4:0", () => {
  if (session.folder === null) {
    print("no session folder (--session DIR): the loop plays, nothing is recorded");
  } else {
    session.punchIn = "2:1:0";
    session.record();
  }
});

session.play();
