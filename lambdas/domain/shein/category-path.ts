/** The part of a cateInfos entry the path needs. */
export interface CategoryInfo {
  readonly category_name_en?: string | null;
  /** The ancestors, root first. */
  readonly parent_ids?: readonly string[] | null;
  readonly is_leaf?: string | null;
}

/**
 * English category names from the root to the product's category, read from the app's cateInfos map:
 * the leaf entry (the product's cat_id, else the entry marked is_leaf) lists its ancestors root first,
 * so no recursive walk is needed and a cycle in the data cannot loop.
 */
export function categoryPathOf(
  catId: string,
  cateInfos: Readonly<Record<string, CategoryInfo>> | null | undefined,
): string[] {
  if (!cateInfos) return [];
  const leafId = Object.hasOwn(cateInfos, catId)
    ? catId
    : Object.keys(cateInfos).find((id) => cateInfos[id]?.is_leaf === '1');
  if (leafId === undefined) return [];
  const ids = new Set([...(cateInfos[leafId]?.parent_ids ?? []), leafId]);
  return [...ids].flatMap((id) => {
    const name = Object.hasOwn(cateInfos, id) ? cateInfos[id]?.category_name_en : undefined;
    return name ? [name] : [];
  });
}
