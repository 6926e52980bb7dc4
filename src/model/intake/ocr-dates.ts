// Receipt dates the recogniser misreads in the way it misreads them: a 0 in the year read as a
// 6 ("12-02-2618", "14 Mar 2618"), and the slashes of a date after its label read as 1s or
// lost ("Date: 1210212018", "Date 2512/2018"). A receipt's field is the date printed, so the
// word is put back as printed. Only date-shaped words: a year 26xx beside a day and month (no
// receipt is dated in the 27th century); a run of digits only right after "Date" or "Tarikh",
// and only when it reads as a real day, month and year.

const MONTH = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}[.,]?$/i;
const DATE_LABEL = /^(?:date|tarikh|dated)[:.]?$/i;

/** day, month and year of a real date in the years receipts carry */
function realDate(day: string, month: string, year: string): boolean {
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  return d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1990 && y <= 2099;
}

/** `year` with a misread 6 for the 0 of "20xx" put right */
const fixYear = (year: string) => year.replace(/^26(?=\d\d$)/, '20');

/**
 * The date a read word stands for, or the word as read. `previous` is the word before it on
 * its line ("Mar" before "2618", "Date:" before "1210212018").
 */
export function correctOcrDate(word: string, previous = ''): string {
  // 12-02-2618, 12/02/2618: a full date with its year misread
  const full = /^(\d{1,2})([-/.])(\d{1,2})\2(26\d\d)(\D?)$/.exec(word);
  if (full && realDate(full[1], full[3], fixYear(full[4])))
    return `${full[1]}${full[2]}${full[3]}${full[2]}${fixYear(full[4])}${full[5]}`;
  // 14 Mar 2618: a year after the month's name
  if (MONTH.test(previous)) {
    const year = /^(26\d\d)(\D?)$/.exec(word);
    if (year) return `${fixYear(year[1])}${year[2]}`;
  }
  if (!DATE_LABEL.test(previous)) return word;
  // Date: 1210212018 (slashes read as 1s), Date 2512/2018 (one slash lost); eight digits
  // in a row are a date printed without slashes, kept as printed
  const run = /^(\d{2})[1/]?(\d{2})[1/]?(\d{4})$/.exec(word);
  if (!run || word.length < 9 || !realDate(run[1], run[2], run[3])) return word;
  return `${run[1]}/${run[2]}/${run[3]}`;
}
