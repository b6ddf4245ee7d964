package desk.engine.fx;

import desk.engine.RealTime;

/**
 * The loops of an {@link Eq}, one channel (or a stereo pair) at a time: its running sections in series, four
 * at a time in one pass so their recursions overlap, in double precision, rounded to float after every four.
 * Four peaking bands take a shorter form. {@link EqLanes} runs the same arithmetic on many channels side by
 * side and gets the same samples, bit for bit.
 * <p>
 * Threads: the audio thread (pure functions of the sections they are given).
 */
final class EqKernels {
    private EqKernels() {
    }

    /**
     * Runs the {@code count} running sections in series over {@code [from, to)} of every channel, four at a
     * time in one pass; a stereo pair goes through together, so the two channels' recursions overlap too.
     */
    @RealTime
    static void rtRunAll(float[][] io, int from, int to, EqSection[] running, int count) {
        if (io.length == 2) {
            int first = 0;
            for (; count - first >= 4; first += 4) {
                EqSection a = running[first];
                EqSection b = running[first + 1];
                EqSection d = running[first + 2];
                EqSection e = running[first + 3];
                if (rtPeaks(running, first)) {
                    rtRun4PeaksStereo(io[0], io[1], from, to, a, b, d, e);
                } else {
                    rtRun4Stereo(io[0], io[1], from, to, a, b, d, e);
                }
            }
            for (; first < count; first++) {
                rtRun1Stereo(io[0], io[1], from, to, running[first]);
            }
            return;
        }
        for (int c = 0; c < io.length; c++) {
            int first = 0;
            for (; count - first >= 4; first += 4) {
                if (rtPeaks(running, first)) {
                    rtRun4Peaks(io[c], from, to, c, running[first], running[first + 1], running[first + 2],
                            running[first + 3]);
                } else {
                    rtRun4(io[c], from, to, c, running[first], running[first + 1], running[first + 2],
                            running[first + 3]);
                }
            }
            for (; first < count; first++) {
                rtRun1(io[c], from, to, c, running[first]);
            }
        }
    }

    @RealTime
    static void rtRun1(float[] x, int from, int to, int c, EqSection a) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2, as1 = a.s1[c], as2 = a.s2[c];
        for (int i = from; i < to; i++) {
            double in = x[i];
            double y = ab0 * in + as1;
            as1 = ab1 * in - aa1 * y + as2;
            as2 = ab2 * in - aa2 * y;
            x[i] = (float) y;
        }
        a.s1[c] = as1;
        a.s2[c] = as2;
    }

    @RealTime
    static void rtRun1Stereo(float[] left, float[] right, int from, int to, EqSection a) {
        double b0 = a.b0, b1 = a.b1, b2 = a.b2, a1 = a.a1, a2 = a.a2;
        double l1 = a.s1[0], l2 = a.s2[0], r1 = a.s1[1], r2 = a.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yl = b0 * l + l1;
            double yr = b0 * r + r1;
            l1 = b1 * l - a1 * yl + l2;
            r1 = b1 * r - a1 * yr + r2;
            l2 = b2 * l - a2 * yl;
            r2 = b2 * r - a2 * yr;
            left[i] = (float) yl;
            right[i] = (float) yr;
        }
        a.s1[0] = l1;
        a.s2[0] = l2;
        a.s1[1] = r1;
        a.s2[1] = r2;
    }

    @RealTime
    static void rtRun4(float[] x, int from, int to, int c, EqSection a, EqSection b, EqSection d, EqSection e) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2, as1 = a.s1[c], as2 = a.s2[c];
        double bb0 = b.b0, bb1 = b.b1, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2, bs1 = b.s1[c], bs2 = b.s2[c];
        double db0 = d.b0, db1 = d.b1, db2 = d.b2, da1 = d.a1, da2 = d.a2, ds1 = d.s1[c], ds2 = d.s2[c];
        double eb0 = e.b0, eb1 = e.b1, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2, es1 = e.s1[c], es2 = e.s2[c];
        for (int i = from; i < to; i++) {
            double in = x[i];
            double ya = ab0 * in + as1;
            as1 = ab1 * in - aa1 * ya + as2;
            as2 = ab2 * in - aa2 * ya;
            double yb = bb0 * ya + bs1;
            bs1 = bb1 * ya - ba1 * yb + bs2;
            bs2 = bb2 * ya - ba2 * yb;
            double yd = db0 * yb + ds1;
            ds1 = db1 * yb - da1 * yd + ds2;
            ds2 = db2 * yb - da2 * yd;
            double ye = eb0 * yd + es1;
            es1 = eb1 * yd - ea1 * ye + es2;
            es2 = eb2 * yd - ea2 * ye;
            x[i] = (float) ye;
        }
        a.s1[c] = as1;
        a.s2[c] = as2;
        b.s1[c] = bs1;
        b.s2[c] = bs2;
        d.s1[c] = ds1;
        d.s2[c] = ds2;
        e.s1[c] = es1;
        e.s2[c] = es2;
    }

    @RealTime
    static void rtRun4Stereo(float[] left, float[] right, int from, int to, EqSection a, EqSection b, EqSection d,
                                     EqSection e) {
        double ab0 = a.b0, ab1 = a.b1, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2;
        double bb0 = b.b0, bb1 = b.b1, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2;
        double db0 = d.b0, db1 = d.b1, db2 = d.b2, da1 = d.a1, da2 = d.a2;
        double eb0 = e.b0, eb1 = e.b1, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2;
        double al1 = a.s1[0], al2 = a.s2[0], ar1 = a.s1[1], ar2 = a.s2[1];
        double bl1 = b.s1[0], bl2 = b.s2[0], br1 = b.s1[1], br2 = b.s2[1];
        double dl1 = d.s1[0], dl2 = d.s2[0], dr1 = d.s1[1], dr2 = d.s2[1];
        double el1 = e.s1[0], el2 = e.s2[0], er1 = e.s1[1], er2 = e.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yal = ab0 * l + al1;
            double yar = ab0 * r + ar1;
            al1 = ab1 * l - aa1 * yal + al2;
            ar1 = ab1 * r - aa1 * yar + ar2;
            al2 = ab2 * l - aa2 * yal;
            ar2 = ab2 * r - aa2 * yar;
            double ybl = bb0 * yal + bl1;
            double ybr = bb0 * yar + br1;
            bl1 = bb1 * yal - ba1 * ybl + bl2;
            br1 = bb1 * yar - ba1 * ybr + br2;
            bl2 = bb2 * yal - ba2 * ybl;
            br2 = bb2 * yar - ba2 * ybr;
            double ydl = db0 * ybl + dl1;
            double ydr = db0 * ybr + dr1;
            dl1 = db1 * ybl - da1 * ydl + dl2;
            dr1 = db1 * ybr - da1 * ydr + dr2;
            dl2 = db2 * ybl - da2 * ydl;
            dr2 = db2 * ybr - da2 * ydr;
            double yel = eb0 * ydl + el1;
            double yer = eb0 * ydr + er1;
            el1 = eb1 * ydl - ea1 * yel + el2;
            er1 = eb1 * ydr - ea1 * yer + er2;
            el2 = eb2 * ydl - ea2 * yel;
            er2 = eb2 * ydr - ea2 * yer;
            left[i] = (float) yel;
            right[i] = (float) yer;
        }
        a.s1[0] = al1;
        a.s2[0] = al2;
        a.s1[1] = ar1;
        a.s2[1] = ar2;
        b.s1[0] = bl1;
        b.s2[0] = bl2;
        b.s1[1] = br1;
        b.s2[1] = br2;
        d.s1[0] = dl1;
        d.s2[0] = dl2;
        d.s1[1] = dr1;
        d.s2[1] = dr2;
        e.s1[0] = el1;
        e.s2[0] = el2;
        e.s1[1] = er1;
        e.s2[1] = er2;
    }

    /**
     * As {@link #rtRun4Stereo} for four peaking bands, whose b1 equals their a1: each section's middle state
     * takes one product, a1 (x - y), instead of two.
     */
    @RealTime
    static void rtRun4PeaksStereo(float[] left, float[] right, int from, int to, EqSection a, EqSection b,
                                          EqSection d, EqSection e) {
        double ab0 = a.b0, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2;
        double bb0 = b.b0, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2;
        double db0 = d.b0, db2 = d.b2, da1 = d.a1, da2 = d.a2;
        double eb0 = e.b0, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2;
        double al1 = a.s1[0], al2 = a.s2[0], ar1 = a.s1[1], ar2 = a.s2[1];
        double bl1 = b.s1[0], bl2 = b.s2[0], br1 = b.s1[1], br2 = b.s2[1];
        double dl1 = d.s1[0], dl2 = d.s2[0], dr1 = d.s1[1], dr2 = d.s2[1];
        double el1 = e.s1[0], el2 = e.s2[0], er1 = e.s1[1], er2 = e.s2[1];
        for (int i = from; i < to; i++) {
            double l = left[i];
            double r = right[i];
            double yal = ab0 * l + al1;
            double yar = ab0 * r + ar1;
            al1 = aa1 * (l - yal) + al2;
            ar1 = aa1 * (r - yar) + ar2;
            al2 = ab2 * l - aa2 * yal;
            ar2 = ab2 * r - aa2 * yar;
            double ybl = bb0 * yal + bl1;
            double ybr = bb0 * yar + br1;
            bl1 = ba1 * (yal - ybl) + bl2;
            br1 = ba1 * (yar - ybr) + br2;
            bl2 = bb2 * yal - ba2 * ybl;
            br2 = bb2 * yar - ba2 * ybr;
            double ydl = db0 * ybl + dl1;
            double ydr = db0 * ybr + dr1;
            dl1 = da1 * (ybl - ydl) + dl2;
            dr1 = da1 * (ybr - ydr) + dr2;
            dl2 = db2 * ybl - da2 * ydl;
            dr2 = db2 * ybr - da2 * ydr;
            double yel = eb0 * ydl + el1;
            double yer = eb0 * ydr + er1;
            el1 = ea1 * (ydl - yel) + el2;
            er1 = ea1 * (ydr - yer) + er2;
            el2 = eb2 * ydl - ea2 * yel;
            er2 = eb2 * ydr - ea2 * yer;
            left[i] = (float) yel;
            right[i] = (float) yer;
        }
        a.s1[0] = al1;
        a.s2[0] = al2;
        a.s1[1] = ar1;
        a.s2[1] = ar2;
        b.s1[0] = bl1;
        b.s2[0] = bl2;
        b.s1[1] = br1;
        b.s2[1] = br2;
        d.s1[0] = dl1;
        d.s2[0] = dl2;
        d.s1[1] = dr1;
        d.s2[1] = dr2;
        e.s1[0] = el1;
        e.s2[0] = el2;
        e.s1[1] = er1;
        e.s2[1] = er2;
    }

    /** Whether the four running sections from {@code first} are all peaking bands, which run a shorter form. */
    @RealTime
    static boolean rtPeaks(EqSection[] running, int first) {
        for (int i = first; i < first + 4; i++) {
            if (running[i].shape != EqSection.Shape.PEAK) {
                return false;
            }
        }
        return true;
    }

    /**
     * As {@link #rtRun4} for four peaking bands, whose b1 equals their a1: each section's middle state takes one
     * product, a1 (x - y), instead of two.
     */
    @RealTime
    static void rtRun4Peaks(float[] x, int from, int to, int c, EqSection a, EqSection b, EqSection d, EqSection e) {
        double ab0 = a.b0, ab2 = a.b2, aa1 = a.a1, aa2 = a.a2, as1 = a.s1[c], as2 = a.s2[c];
        double bb0 = b.b0, bb2 = b.b2, ba1 = b.a1, ba2 = b.a2, bs1 = b.s1[c], bs2 = b.s2[c];
        double db0 = d.b0, db2 = d.b2, da1 = d.a1, da2 = d.a2, ds1 = d.s1[c], ds2 = d.s2[c];
        double eb0 = e.b0, eb2 = e.b2, ea1 = e.a1, ea2 = e.a2, es1 = e.s1[c], es2 = e.s2[c];
        for (int i = from; i < to; i++) {
            double in = x[i];
            double ya = ab0 * in + as1;
            as1 = aa1 * (in - ya) + as2;
            as2 = ab2 * in - aa2 * ya;
            double yb = bb0 * ya + bs1;
            bs1 = ba1 * (ya - yb) + bs2;
            bs2 = bb2 * ya - ba2 * yb;
            double yd = db0 * yb + ds1;
            ds1 = da1 * (yb - yd) + ds2;
            ds2 = db2 * yb - da2 * yd;
            double ye = eb0 * yd + es1;
            es1 = ea1 * (yd - ye) + es2;
            es2 = eb2 * yd - ea2 * ye;
            x[i] = (float) ye;
        }
        a.s1[c] = as1;
        a.s2[c] = as2;
        b.s1[c] = bs1;
        b.s2[c] = bs2;
        d.s1[c] = ds1;
        d.s2[c] = ds2;
        e.s1[c] = es1;
        e.s2[c] = es2;
    }
}
