/**
 * How Pimcore's database compares text, for the simulator's lookups and unique checks.
 *
 * A class's fields live in MySQL/MariaDB columns of the database's `utf8mb4_*_ci` collation (Pimcore's
 * docker setups: utf8mb4_unicode_ci), so `externalId = 'SHEIN:1'` (a listing filter, the unique index)
 * matches `shein:1`, ignores accents, and ignores trailing spaces (a PAD SPACE collation).
 * The objects table's `key` and `path` are `utf8_bin` (Pimcore's install.sql): case- and accent-sensitive,
 * still PAD SPACE.
 */

/** The root collation at base strength: letter case and accents are ignored, as in a *_ci collation. */
const BASE_LETTERS = new Intl.Collator('und', { sensitivity: 'base' });

/** PAD SPACE: trailing spaces (U+0020 only) do not count. */
const withoutTrailingSpaces = (text: string): string => (text.endsWith(' ') ? text.replace(/ +$/, '') : text);

/** Equal in a class field's column: `utf8mb4_*_ci`, PAD SPACE. */
export function sameFieldText(a: string, b: string): boolean {
  return BASE_LETTERS.compare(withoutTrailingSpaces(a), withoutTrailingSpaces(b)) === 0;
}

/** Equal in the objects table's `key` column: `utf8_bin`, PAD SPACE. */
export function sameBinaryText(a: string, b: string): boolean {
  return withoutTrailingSpaces(a) === withoutTrailingSpaces(b);
}
