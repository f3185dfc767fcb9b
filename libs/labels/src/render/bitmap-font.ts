/**
 * A 5 × 7 pixel monospace font (capitals, digits, common punctuation), drawn for this project,
 * so PNG labels need neither system fonts nor a rasteriser: scaled by whole pixels it stays
 * crisp at any dpi. Text is upper-cased and stripped of accents before drawing.
 */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Glyph plus one pixel of spacing, in font pixels. */
export const GLYPH_ADVANCE = 6;

// Rows top to bottom, '#' = ink.
const GLYPHS: Record<string, string> = {
  '0': '.###.|#...#|#..##|#.#.#|##..#|#...#|.###.',
  '1': '..#..|.##..|..#..|..#..|..#..|..#..|.###.',
  '2': '.###.|#...#|....#|...#.|..#..|.#...|#####',
  '3': '#####|...#.|..#..|...#.|....#|#...#|.###.',
  '4': '...#.|..##.|.#.#.|#..#.|#####|...#.|...#.',
  '5': '#####|#....|####.|....#|....#|#...#|.###.',
  '6': '..##.|.#...|#....|####.|#...#|#...#|.###.',
  '7': '#####|....#|...#.|..#..|.#...|.#...|.#...',
  '8': '.###.|#...#|#...#|.###.|#...#|#...#|.###.',
  '9': '.###.|#...#|#...#|.####|....#|...#.|.##..',
  A: '.###.|#...#|#...#|#####|#...#|#...#|#...#',
  B: '####.|#...#|#...#|####.|#...#|#...#|####.',
  C: '.###.|#...#|#....|#....|#....|#...#|.###.',
  D: '###..|#..#.|#...#|#...#|#...#|#..#.|###..',
  E: '#####|#....|#....|####.|#....|#....|#####',
  F: '#####|#....|#....|####.|#....|#....|#....',
  G: '.###.|#...#|#....|#.###|#...#|#...#|.####',
  H: '#...#|#...#|#...#|#####|#...#|#...#|#...#',
  I: '.###.|..#..|..#..|..#..|..#..|..#..|.###.',
  J: '..###|...#.|...#.|...#.|...#.|#..#.|.##..',
  K: '#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#',
  L: '#....|#....|#....|#....|#....|#....|#####',
  M: '#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#',
  N: '#...#|#...#|##..#|#.#.#|#..##|#...#|#...#',
  O: '.###.|#...#|#...#|#...#|#...#|#...#|.###.',
  P: '####.|#...#|#...#|####.|#....|#....|#....',
  Q: '.###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#',
  R: '####.|#...#|#...#|####.|#.#..|#..#.|#...#',
  S: '.####|#....|#....|.###.|....#|....#|####.',
  T: '#####|..#..|..#..|..#..|..#..|..#..|..#..',
  U: '#...#|#...#|#...#|#...#|#...#|#...#|.###.',
  V: '#...#|#...#|#...#|#...#|#...#|.#.#.|..#..',
  W: '#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.',
  X: '#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#',
  Y: '#...#|#...#|.#.#.|..#..|..#..|..#..|..#..',
  Z: '#####|....#|...#.|..#..|.#...|#....|#####',
  ' ': '.....|.....|.....|.....|.....|.....|.....',
  '-': '.....|.....|.....|.###.|.....|.....|.....',
  _: '.....|.....|.....|.....|.....|.....|#####',
  '.': '.....|.....|.....|.....|.....|.##..|.##..',
  ',': '.....|.....|.....|.....|.##..|..#..|.#...',
  ':': '.....|.##..|.##..|.....|.##..|.##..|.....',
  "'": '..#..|..#..|.#...|.....|.....|.....|.....',
  '/': '.....|....#|...#.|..#..|.#...|#....|.....',
  '&': '.##..|#..#.|#.#..|.#...|#.#.#|#..#.|.##.#',
  '+': '.....|..#..|..#..|#####|..#..|..#..|.....',
  '(': '...#.|..#..|.#...|.#...|.#...|..#..|...#.',
  ')': '.#...|..#..|...#.|...#.|...#.|..#..|.#...',
  '?': '.###.|#...#|....#|...#.|..#..|.....|..#..',
  '…': '.....|.....|.....|.....|.....|.....|#.#.#',
};

/** Each glyph as GLYPH_HEIGHT rows of GLYPH_WIDTH booleans. */
const BITMAPS = new Map<string, boolean[][]>(
  Object.entries(GLYPHS).map(([ch, rows]) => [ch, rows.split('|').map((row) => [...row].map((c) => c === '#'))]),
);

/** What the font can draw: upper case, no accents, unknown characters as '?'. */
export function toFontText(text: string): string {
  const plain = text
    .replace(/[’‘`´]/g, "'")
    .replace(/Œ/gi, 'OE')
    .replace(/Æ/gi, 'AE')
    .replace(/ß/g, 'SS')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  return [...plain].map((c) => (BITMAPS.has(c) ? c : '?')).join('');
}

export const fontTextWidth = (text: string, scale: number): number =>
  text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;

/** Draws `text` (already passed through `toFontText`) with its baseline at `baseline`. */
export function drawText(
  setPixel: (x: number, y: number) => void,
  text: string,
  x: number,
  baseline: number,
  scale: number,
): void {
  const top = baseline - GLYPH_HEIGHT * scale;
  [...text].forEach((ch, i) => {
    const bitmap = BITMAPS.get(ch) ?? BITMAPS.get('?')!;
    const left = x + i * GLYPH_ADVANCE * scale;
    bitmap.forEach((row, gy) =>
      row.forEach((on, gx) => {
        if (!on) return;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) setPixel(left + gx * scale + dx, top + gy * scale + dy);
        }
      }),
    );
  });
}
