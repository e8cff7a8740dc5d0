import type { SourceDetail, SourceProduct } from './shein/source-product';

/** Titles, descriptions and attributes from a Shein product, in English and the source language. */

type LocalizedText = { en: string } & Record<string, string>;

interface DetailGroup {
  readonly name: string;
  readonly values: string[];
}

/** Detail lines grouped by attribute (Composition: 95% Polyester, 5% Elastane), in source order. */
function groupDetails(details: readonly SourceDetail[], english: boolean): DetailGroup[] {
  const groups = new Map<string, DetailGroup>();
  for (const detail of details) {
    const name = english ? detail.nameEn : detail.name;
    const value = english ? detail.valueEn : detail.value;
    if (!name || !value) continue;
    const key = detail.id ?? name;
    const group = groups.get(key) ?? { name, values: [] };
    if (!group.values.includes(value)) group.values.push(value);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function describe(groups: readonly DetailGroup[]): string {
  return groups.map((group) => `${group.name}: ${group.values.join(', ')}`).join('\n');
}

/** Shein's URL titles come with spaces ("INAWLY Women s Elegant …") or as slugs ("Dazy-Plus-Size-…"). */
function fromUrlName(urlName: string): string {
  const spaced = urlName.includes(' ') ? urlName : urlName.replace(/-+/g, ' ');
  return spaced.replace(/\s+/g, ' ').trim();
}

/** Brand, colour and category in English ("DAZY Pink Women Sweaters") when nothing better exists. */
function fromEnglishData(source: SourceProduct): string | undefined {
  const category = source.categoryPath.at(-1);
  if (category === undefined) return undefined;
  const colour = source.details.find((detail) => detail.nameEn === 'Color')?.valueEn;
  return [source.brand, colour, category].filter(Boolean).join(' ');
}

function englishTitle(source: SourceProduct, sourceLocale: string): string {
  if (sourceLocale === 'en') return source.goodsName;
  return (
    (source.goodsUrlName && fromUrlName(source.goodsUrlName)) || fromEnglishData(source) || source.goodsName
  );
}

/** `en` always; the source language's own title under its locale when it is not English. */
export function localizedTitle(source: SourceProduct, sourceLocale: string): LocalizedText {
  const en = englishTitle(source, sourceLocale);
  return sourceLocale === 'en' ? { en } : { en, [sourceLocale]: source.goodsName };
}

/** One "Name: value, value" line per detail; empty when the export has no details (listings). */
export function localizedDescription(source: SourceProduct, sourceLocale: string): LocalizedText {
  const en = describe(groupDetails(source.details, true));
  const local = sourceLocale === 'en' ? '' : describe(groupDetails(source.details, false));
  return local ? { en, [sourceLocale]: local } : { en };
}

export function englishAttributes(source: SourceProduct): Array<{ name: string; value: string }> {
  return groupDetails(source.details, true).map((group) => ({
    name: group.name,
    value: group.values.join(', '),
  }));
}
