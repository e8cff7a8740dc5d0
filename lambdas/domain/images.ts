/**
 * Shein lists one photo several times in different sizes and formats: goods_img
 * "…/1748…ebc27_thumbnail_405x552.jpg" is skcImages[0] "…/1748…ebc27_thumbnail_750x999.webp".
 * A photo is its URL without the "_thumbnail_WxH" suffix and the extension; of its copies the largest
 * is kept (no suffix = the original, larger than any thumbnail), at the place the photo first appeared,
 * so the main image stays first.
 */
const THUMBNAIL = /_thumbnail_(\d+)x(\d+)(?=\.[A-Za-z0-9]+$)/;

function photoOf(url: URL): string {
  return `${url.host}${url.pathname.replace(THUMBNAIL, '').replace(/\.[A-Za-z0-9]+$/, '')}`;
}

function areaOf(url: URL): number {
  const match = THUMBNAIL.exec(url.pathname);
  return match ? Number(match[1]) * Number(match[2]) : Number.POSITIVE_INFINITY;
}

/** Takes absolute https URLs (validation made them so), main image first. */
export function selectImages(urls: readonly string[]): string[] {
  const best = new Map<string, URL>();
  for (const href of urls) {
    const url = new URL(href);
    const photo = photoOf(url);
    const kept = best.get(photo);
    // Map.set on an existing key keeps its position: the photo stays where it first appeared.
    if (kept === undefined || areaOf(url) > areaOf(kept)) best.set(photo, url);
  }
  return [...best.values()].map((url) => url.href);
}
