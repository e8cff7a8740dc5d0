/** The sizes Shein serves a photo in: the listing thumbnail, the detail image, the small thumb. */
export type ImageSize = '405x552.jpg' | '750x999.webp' | '220x293.jpg';

/**
 * A protocol-relative Shein CDN URL for one size of a photo, e.g.
 * "//img.ltwebstatic.com/v4/j/pi/2025/06/03/0c/1748918103…_thumbnail_750x999.webp".
 */
export function imageUrl(photo: string, size: ImageSize): string {
  const month = String((Number(photo.slice(8, 10)) % 12) + 1).padStart(2, '0');
  const day = String((Number(photo.slice(6, 8)) % 28) + 1).padStart(2, '0');
  return `//img.ltwebstatic.com/v4/j/pi/2025/${month}/${day}/${photo.slice(-2)}/${photo}_thumbnail_${size}`;
}
