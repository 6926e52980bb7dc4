// The subtotal and the tax that add up to the total. Chosen apart, each by its own probability,
// they often do not: a Malaysian receipt's GST summary prints "Amount 7.74  Tax 0.46" under a
// total of 8.20, and the amount column reads as a tax as well as the tax column does. Among the
// likely candidates of both fields, the pair whose sum is the total (to the cent), whose tax is
// nothing or a plausible share of the net (the printed rate where there is one, else 1–30 %)
// and which is most probable together is the pair a reader would take.

/** A candidate value of the subtotal or the tax, with the chooser's probability. */
export interface AmountOption<T> {
  cents: number;
  probability: number;
  /** its mention, so that one printed number does not fill both fields */
  start: number;
  end: number;
  item: T;
}

/** The highest share of the net a tax can be (the highest VAT rates are 27 %). */
const MAX_TAX_SHARE = 0.3;
/** The lowest share of the net a tax other than zero is: a cent or two is a rounding. */
const MIN_TAX_SHARE = 0.01;
/** A pair less likely than this together is a coincidence of the sums: two item lines adding up. */
export const MIN_PAIR_PROBABILITY = 0.02;
/** The same where the tax is the printed rate of the net as well, which a coincidence rarely is. */
export const MIN_PAIR_PROBABILITY_AT_RATE = 0.002;

/**
 * Whether net + tax is the total (cents): to the cent, or by two cents where the total is
 * rounded to five (Malaysia's rounding: 112.47 is paid as 112.45).
 */
export function addsUp(net: number, tax: number, total: number): boolean {
  const off = Math.abs(net + tax - total);
  return off <= 1 || (off <= 2 && total % 5 === 0);
}

/**
 * The most probable (net, tax) pair that adds up to `total` (cents, as `addsUp` allows), or
 * undefined. With a printed `rate` (0.06 for 6 %) a tax must be that share of the net, and a
 * pair with such a tax comes before one without tax.
 */
export function pairAddingUp<T>(
  total: number,
  nets: readonly AmountOption<T>[],
  taxes: readonly AmountOption<T>[],
  rate?: number,
): { net: AmountOption<T>; tax: AmountOption<T>; probability: number } | undefined {
  let best: { net: AmountOption<T>; tax: AmountOption<T>; probability: number; weight: number } | undefined;
  for (const n of nets) {
    if (n.cents <= 0) continue;
    for (const t of taxes) {
      if (t.start === n.start && t.end === n.end) continue;
      if (!addsUp(n.cents, t.cents, total) || !plausibleTax(t.cents, n.cents, rate)) continue;
      const probability = n.probability * t.probability;
      const atRate = rate !== undefined && t.cents > 0;
      if (probability < (atRate ? MIN_PAIR_PROBABILITY_AT_RATE : MIN_PAIR_PROBABILITY)) continue;
      // any pair taxed at the printed rate before any without tax: the change "0.00" reads as a tax
      const weight = atRate ? 1 + probability : probability;
      if (!best || weight > best.weight) best = { net: n, tax: t, probability, weight };
    }
  }
  return best && { net: best.net, tax: best.tax, probability: best.probability };
}

/** No tax, or a share of the net: the printed rate where there is one, else 1–30 %. */
function plausibleTax(tax: number, net: number, rate?: number): boolean {
  if (tax === 0) return true;
  if (tax < MIN_TAX_SHARE * net || tax > MAX_TAX_SHARE * net) return false;
  return rate === undefined || Math.abs(tax - rate * net) <= Math.max(2, 0.005 * tax);
}

/**
 * Whether a tax is the printed rate's share of a total that includes it ("GST @6% INCLUDED IN
 * TOTAL RM 0.60" under a total of 10.60): the net is then not printed at all.
 */
export function taxIncluded(tax: number, total: number, rate: number): boolean {
  // worked out from the total and rounded: to a cent or two, however large
  return rate > 0 && tax > 0 && Math.abs(tax - (rate * total) / (1 + rate)) <= 2;
}
