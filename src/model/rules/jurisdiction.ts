// Governing law. Span convention (measured on CUAD, where JURISDICTION marks places inside
// the governing-law clause): the name of the state, province or country only —
// "the laws of the State of New York" → `New York`, "Commonwealth of Virginia" →
// `Virginia`, "laws of England and Wales" → `England`, `Wales`, "the Netherlands" →
// `Netherlands`; official long names that are the name itself stay whole: `People's
// Republic of China`, `Federal Republic of Germany`, `Republic of Kazakhstan`. Every
// mention of such a place inside the clause is tagged (CUAD does: "performed entirely in
// California by California residents" has two), places outside it are not (an address,
// "a Delaware corporation" in the preamble).
import { forEachMatch, PRIORITY, rule, type Candidate } from './common';

const US_STATES = [
  'Alabama',
  'Alaska',
  'Arizona',
  'Arkansas',
  'California',
  'Colorado',
  'Connecticut',
  'Delaware',
  'Florida',
  'Georgia',
  'Hawaii',
  'Idaho',
  'Illinois',
  'Indiana',
  'Iowa',
  'Kansas',
  'Kentucky',
  'Louisiana',
  'Maine',
  'Maryland',
  'Massachusetts',
  'Michigan',
  'Minnesota',
  'Mississippi',
  'Missouri',
  'Montana',
  'Nebraska',
  'Nevada',
  'New Hampshire',
  'New Jersey',
  'New Mexico',
  'New York',
  'North Carolina',
  'North Dakota',
  'Ohio',
  'Oklahoma',
  'Oregon',
  'Pennsylvania',
  'Rhode Island',
  'South Carolina',
  'South Dakota',
  'Tennessee',
  'Texas',
  'Utah',
  'Vermont',
  'Virginia',
  'Washington',
  'West Virginia',
  'Wisconsin',
  'Wyoming',
  'District of Columbia',
  'Puerto Rico',
];
const PROVINCES = [
  'Ontario',
  'Quebec',
  'Québec',
  'British Columbia',
  'Alberta',
  'Manitoba',
  'Saskatchewan',
  'Nova Scotia',
  'New Brunswick',
  'Newfoundland and Labrador',
  'Prince Edward Island',
  'New South Wales',
  'Victoria',
  'Queensland',
  'Western Australia',
  'South Australia',
  'Tasmania',
  'Australian Capital Territory',
  'England',
  'Wales',
  'Scotland',
  'Northern Ireland',
  'Bavaria',
  'Zurich',
  'Zürich',
  'Geneva',
  'Hong Kong',
  'Macau',
  'Macao',
];
const COUNTRIES = [
  "People's Republic of China",
  'Federal Republic of Germany',
  'Republic of Kazakhstan',
  'Republic of South Africa',
  'Republic of Korea',
  'Republic of Singapore',
  'Republic of India',
  'Republic of Ireland',
  'Republic of China',
  'Russian Federation',
  'Swiss Confederation',
  'United States of America',
  'United States',
  'United Kingdom',
  'United Arab Emirates',
  'Afghanistan',
  'Albania',
  'Algeria',
  'Andorra',
  'Angola',
  'Argentina',
  'Armenia',
  'Australia',
  'Austria',
  'Azerbaijan',
  'Bahamas',
  'Bahrain',
  'Bangladesh',
  'Barbados',
  'Belarus',
  'Belgium',
  'Belize',
  'Bermuda',
  'Bolivia',
  'Bosnia and Herzegovina',
  'Botswana',
  'Brazil',
  'Brunei',
  'Bulgaria',
  'Cambodia',
  'Cameroon',
  'Canada',
  'Cayman Islands',
  'British Virgin Islands',
  'Chile',
  'China',
  'Colombia',
  'Costa Rica',
  'Croatia',
  'Cuba',
  'Curaçao',
  'Cyprus',
  'Czech Republic',
  'Czechia',
  'Denmark',
  'Dominican Republic',
  'Ecuador',
  'Egypt',
  'El Salvador',
  'Estonia',
  'Ethiopia',
  'Finland',
  'France',
  'Germany',
  'Ghana',
  'Gibraltar',
  'Greece',
  'Guatemala',
  'Guernsey',
  'Honduras',
  'Hungary',
  'Iceland',
  'India',
  'Indonesia',
  'Iran',
  'Iraq',
  'Ireland',
  'Isle of Man',
  'Israel',
  'Italy',
  'Jamaica',
  'Japan',
  'Jersey',
  'Jordan',
  'Kazakhstan',
  'Kenya',
  'Korea',
  'South Korea',
  'Kuwait',
  'Latvia',
  'Lebanon',
  'Liechtenstein',
  'Lithuania',
  'Luxembourg',
  'Malaysia',
  'Malta',
  'Marshall Islands',
  'Mauritius',
  'Mexico',
  'Moldova',
  'Monaco',
  'Mongolia',
  'Montenegro',
  'Morocco',
  'Myanmar',
  'Nepal',
  'Netherlands',
  'New Zealand',
  'Nicaragua',
  'Nigeria',
  'North Macedonia',
  'Norway',
  'Oman',
  'Pakistan',
  'Panama',
  'Papua New Guinea',
  'Paraguay',
  'Peru',
  'Philippines',
  'Poland',
  'Portugal',
  'Qatar',
  'Romania',
  'Russia',
  'Saudi Arabia',
  'Serbia',
  'Singapore',
  'Slovakia',
  'Slovenia',
  'South Africa',
  'Spain',
  'Sri Lanka',
  'Sweden',
  'Switzerland',
  'Taiwan',
  'Tanzania',
  'Thailand',
  'Trinidad and Tobago',
  'Tunisia',
  'Turkey',
  'Türkiye',
  'Uganda',
  'Ukraine',
  'Uruguay',
  'Uzbekistan',
  'Venezuela',
  'Vietnam',
  'Viet Nam',
  'Zambia',
  'Zimbabwe',
];

function namePattern(name: string): string {
  // Any case (`NEW YORK`), any run of spaces between words (`New         York`).
  return name
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]"))
    .join('\\s{1,24}');
}

const PLACES = [...US_STATES, ...PROVINCES, ...COUNTRIES].sort((a, b) => b.length - a.length);
/** Longest name first, so `West Virginia` beats `Virginia` and `New South Wales` beats `Wales`. */
const PLACE = rule(new RegExp(`(?<![\\p{L}\\p{N}])(?:${PLACES.map(namePattern).join('|')})(?![\\p{L}\\p{N}])`, 'giu'));

/**
 * Where to look: sentences around a word of the governing-law vocabulary. The sentence
 * must also say which law governs — "governed by", "construed", "interpretation",
 * "controlled by", "laws of X shall apply" — and mention law, so "a corporation organized
 * under the laws of Delaware" (incorporation) and "regulations governing the conversion"
 * are skipped.
 */
const TRIGGER = rule(
  // one \b before the alternatives, and no u flag (ASCII words only): 18 times faster on long texts
  /\b(?:govern|constru|interpret|controlled\s{1,24}by|choice\s{1,24}of\s{1,24}law|applicable\s{1,24}law|laws?\s{1,24}of\b)/gi,
);
const CLAUSE = rule(
  /\bgovern(?:ed|ing|s)?\b|\bconstru(?:ed|ction)\b|\binterpret(?:ed|ation)\b|\bcontrolled\s{1,24}by\s{1,24}the\s{1,24}laws?\b|\bchoice\s{1,24}of\s{1,24}law\b|\bin\s{1,24}accordance\s{1,24}with\s{1,24}the\s{1,24}laws?\s{1,24}of\b|\b(?:laws?|legislation)\s{1,24}of\b[^.;]{0,80}\b(?:shall|will)\s{1,24}(?:apply|govern|prevail)/iu,
);
const LAW_WORD = rule(/\b(?:laws?|legislation)\b/iu);

/**
 * A sentence boundary: period/semicolon then space and a capital or a number, or a blank line
 * not after a lower-case word or a comma (a PDF's page or column break inside a sentence: "the
 * applicable laws of the⏎⏎State of California").
 */
const BOUNDARY = rule(
  /[.;!?]["'”’)]?\s{1,24}(?=["'“‘(]?[\p{Lu}\d])|(?<!(?:^|[^\p{L}])\p{Ll}{1,30}[ \t]{0,24}|,[ \t]{0,24})\n\s{0,24}\n/gu,
);

/** Sentence around `at`, found by scanning at most `reach` characters each way. */
function sentenceAround(text: string, at: number, reach = 600): [number, number] {
  const from = Math.max(0, at - reach);
  const to = Math.min(text.length, at + reach);
  const window = text.slice(from, to);
  let start = from;
  let end = to;
  forEachMatch(BOUNDARY, window, (m) => {
    const abs = from + m.index;
    if (abs < at) start = abs + m[0].length;
    else if (abs >= at && end === to) end = abs + 1;
  });
  return [start, end];
}

/** Words after a place name that make it a description, not the governing law. */
const DESCRIPTIVE_AFTER = rule(
  /^\s{0,3}(?:corporation|company|limited\s{1,24}liability|limited\s{1,24}partnership|general\s{1,24}partnership|banking|statutory\s{1,24}trust|business\s{1,24}trust|LLC|L\.L\.C\.|corp\b|stock\s{1,24}exchange|courts?\b|division|department|secretary|securities|regulations|escrow|county)/iu,
);
/** `, United States of America` after a state: a qualifier, not another governing law. */
const QUALIFIER_BEFORE = rule(/\p{L}[ \t]{0,3},[ \t]{0,24}(?:the\s{1,24})?$/u);
const FEDERAL = rule(/^united\s{1,24}states/iu);
/** "the laws of the United States": the only way the United States is a governing law here. */
const LAWS_OF_BEFORE = rule(/\blaws?\s{1,24}of\s{1,24}(?:the\s{1,24})?$/iu);
/** "organized under the laws of the State of Delaware": incorporation, not governing law. */
const INCORPORATION_BEFORE = rule(
  /\b(?:organi[sz]ed|incorporated|existing|formed|chartered|good\s{1,24}standing|registered|established)\b[^.;]{0,50}$/iu,
);
const STATES = new Set([...US_STATES, ...PROVINCES].map((n) => n.toLowerCase()));

function normalise(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'");
}

export function findJurisdictions(text: string): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  let lastStart = -1;
  let lastEnd = -1;
  forEachMatch(TRIGGER, text, (m) => {
    // another trigger word of the sentence just read: nothing new (and no second scan of it)
    if (m.index >= lastStart && m.index < lastEnd) return;
    const [start, end] = sentenceAround(text, m.index);
    lastStart = start;
    lastEnd = end;
    const key = `${start}:${end}`;
    if (seen.has(key)) return;
    seen.add(key);
    const sentence = text.slice(start, end);
    if (!CLAUSE.test(sentence) || !LAW_WORD.test(sentence)) return;
    const places: Array<{ start: number; end: number; name: string }> = [];
    forEachMatch(PLACE, sentence, (p) => {
      const s = start + p.index;
      const e = s + p[0].length;
      if (!/^\p{Lu}/u.test(p[0])) return; // `china`, `turkey`, `jersey` in lower case are words
      if (DESCRIPTIVE_AFTER.test(text.slice(e, e + 40))) return;
      places.push({ start: s, end: e, name: normalise(p[0]) });
    });
    const hasState = places.some((p) => STATES.has(p.name));
    for (const [i, p] of places.entries()) {
      // "laws of the State of California and the United States": federal law alongside a
      // state's is not what CUAD marks; the United States alone is.
      if (FEDERAL.test(p.name) && (hasState || !LAWS_OF_BEFORE.test(text.slice(p.start - 30, p.start)))) continue;
      if (INCORPORATION_BEFORE.test(text.slice(Math.max(0, p.start - 90), p.start))) continue;
      // "State of Delaware, United States of America", "Ontario, Canada": a qualifier.
      const previous = places[i - 1];
      if (
        !STATES.has(p.name) &&
        previous &&
        STATES.has(previous.name) &&
        QUALIFIER_BEFORE.test(text.slice(previous.end, p.start))
      )
        continue;
      out.push({ start: p.start, end: p.end, label: 'JURISDICTION', priority: PRIORITY.JURISDICTION });
    }
  });
  return out;
}

/** Other ways of writing a place, mapped to the name in the lists above. */
const PLACE_ALIASES: Record<string, string> = {
  prc: "People's Republic of China",
  'p.r.c.': "People's Republic of China",
  'p. r. china': "People's Republic of China",
  us: 'United States',
  usa: 'United States',
  'u.s.a.': 'United States',
  'u.s.': 'United States',
  'united states of america': 'United States',
  uk: 'United Kingdom',
  'u.k.': 'United Kingdom',
  'great britain': 'United Kingdom',
  'the netherlands': 'Netherlands',
  holland: 'Netherlands',
  'state of new york': 'New York',
  massachussets: 'Massachusetts',
  québec: 'Quebec',
  zürich: 'Zurich',
  'viet nam': 'Vietnam',
  türkiye: 'Turkey',
  czechia: 'Czech Republic',
  macao: 'Macau',
};
const CANONICAL = new Map(PLACES.map((p) => [normalise(p), p]));
const ALIAS = rule(
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${Object.keys(PLACE_ALIASES)
      .sort((a, b) => b.length - a.length)
      .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s{1,24}'))
      .join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  ),
);

/** The places a string names, in order, each once, by their names in the lists (`NEW YORK` → `New York`). */
export function placeNames(text: string): string[] {
  const found: Array<{ at: number; end: number; name: string }> = [];
  forEachMatch(ALIAS, text, (m) => {
    // "US" and "UK" in capitals only: "us" is a word
    if (/^u[sk]$/i.test(m[0]) && m[0] !== m[0].toUpperCase()) return;
    found.push({ at: m.index, end: m.index + m[0].length, name: PLACE_ALIASES[normalise(m[0])] });
  });
  forEachMatch(PLACE, text, (m) => {
    if (found.some((f) => f.at < m.index + m[0].length && m.index < f.end)) return;
    found.push({ at: m.index, end: m.index + m[0].length, name: CANONICAL.get(normalise(m[0])) ?? m[0] });
  });
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.name))];
}

/**
 * The governing law as the place name users file it under: "the laws of the State of New York"
 * → `New York`, "England and Wales" → `England and Wales`, "Ontario, Canada" → `Ontario` (a
 * country after one of its states or provinces qualifies it), "Delaware, United States of
 * America" → `Delaware`. Several places are joined with " and ". Undefined when no place is named.
 */
export function governingLawName(text: string): string | undefined {
  const names = placeNames(text);
  const states = names.filter((n) => STATES.has(n.toLowerCase()));
  // a country beside a state or province qualifies it, unless the text names the country's law alone
  const kept = states.length ? names.filter((n) => STATES.has(n.toLowerCase()) || !QUALIFYING_COUNTRIES.has(n)) : names;
  return kept.length ? kept.join(' and ') : undefined;
}

/** Countries that appear after their own states and provinces as qualifiers. */
const QUALIFYING_COUNTRIES = new Set([
  'United States',
  'Canada',
  'Australia',
  'United Kingdom',
  'Switzerland',
  'Germany',
  "People's Republic of China",
  'China',
]);
