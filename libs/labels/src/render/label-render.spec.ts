import { inflateSync } from 'node:zlib';
import { Writable } from 'node:stream';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import {
  LabelContent,
  labelPng,
  labelSvg,
  labelsPerPage,
  mmToPt,
  qrMatrix,
  qrModuleCount,
  qrRuns,
  SHEET_TEMPLATES,
  SheetTemplate,
  writeSheetPdf,
  writeZpl,
} from './index';
import { layoutLabel } from './layout';

const PUBLIC_URL = 'https://renum.example.org';
const label = (i: number, extra: Partial<LabelContent> = {}): LabelContent => {
  const code = `RN-${String(i).padStart(4, '0')}-ABC${i % 10}`;
  return { code, url: `${PUBLIC_URL}/d/${code}`, typeLabel: 'Ordinateur portable', organizationShortName: 'Emmaüs Connect', ...extra };
};
const labels = (n: number): LabelContent[] => Array.from({ length: n }, (_, i) => label(i + 1));

/** A writable that keeps what it receives, optionally slowly (one chunk per event-loop turn). */
function sink(options: { slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      if (options.slow) setImmediate(done);
      else done();
    },
  });
  return { stream, bytes: () => chunks.reduce((n, c) => n + c.length, 0), buffer: () => Buffer.concat(chunks) };
}

/** Paints a module grid (row-major, 1 = dark) with a 4-module quiet zone and reads it with jsQR. */
function decodeGrid(size: number, isDark: (row: number, col: number) => boolean): string | undefined {
  const scale = 4;
  const side = (size + 8) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - 4;
      const col = Math.floor(x / scale) - 4;
      if (row >= 0 && col >= 0 && row < size && col < size && isDark(row, col)) rgba.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return jsQR(rgba, side, side)?.data;
}

/** Rebuilds a module grid from rectangles given in module units. */
function gridFromRects(size: number, rects: Array<[number, number, number, number]>): Uint8Array {
  const grid = new Uint8Array(size * size);
  for (const [x, y, w, h] of rects) for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) grid[r * size + c] = 1;
  return grid;
}

describe('QR matrix', () => {
  it('uses error correction Q and its runs cover exactly the dark modules', () => {
    const url = `${PUBLIC_URL}/d/RN-4F7K-2QXJ`;
    const matrix = qrMatrix(url);
    expect(matrix.size).toBe(33); // version 4 at Q for a 40-character URL
    const rebuilt = gridFromRects(
      matrix.size,
      qrRuns(matrix).map((r) => [r.col, r.row, r.length, 1]),
    );
    expect(Buffer.from(rebuilt).equals(Buffer.from(matrix.dark))).toBe(true);
    expect(decodeGrid(matrix.size, (r, c) => matrix.dark[r * matrix.size + c] === 1)).toBe(url);
  });

  it.each([
    `${PUBLIC_URL}/d/RN-4F7K-2QXJ`,
    'https://tracabilite.reemploi-solidaire.example.org/d/RN-ZZZZ-ZZZZ',
    'https://x.fr/d/RN-0000-0000',
  ])('bounds the size a printer may choose for %s', (url) => {
    expect(qrModuleCount(url)).toBeGreaterThanOrEqual(qrMatrix(url).size);
  });
});

describe('labelPng', () => {
  const decodePng = (png: Buffer) => {
    const image = PNG.sync.read(png);
    return { image, data: jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data };
  };

  it('is a 50 × 25 mm image at 300 dpi whose QR decodes to exactly the URL', async () => {
    const l = label(42);
    const { image, data } = decodePng(await labelPng(l));
    expect([image.width, image.height]).toEqual([591, 295]);
    expect(data).toBe(l.url);
  });

  it('stays pure black and white (no anti-aliasing) and records its dpi', async () => {
    const png = await labelPng(label(1));
    const { image } = decodePng(png);
    const values = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) values.add(image.data[i]);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
    const phys = png.indexOf('pHYs');
    expect(png.readUInt32BE(phys + 4)).toBe(Math.round(300 / 0.0254));
  });

  it.each([150, 203])('decodes at %i dpi too', async (dpi) => {
    const l = label(7);
    const { image, data } = decodePng(await labelPng(l, { dpi }));
    expect(image.width).toBe(Math.round((50 / 25.4) * dpi));
    expect(data).toBe(l.url);
  });

  it('decodes a long URL, and a label without type or organisation', async () => {
    const code = 'RN-ZZZZ-ZZZZ';
    const url = `https://tracabilite.reemploi-solidaire.example.org/d/${code}`;
    expect(decodePng(await labelPng({ code, url })).data).toBe(url);
  });

  it('refuses a silly dpi', async () => {
    await expect(labelPng(label(1), { dpi: 5 })).rejects.toThrow(RangeError);
  });
});

describe('labelSvg', () => {
  it('holds the code in clear in a monospace font, the type and organisation, and one QR path', async () => {
    const svg = await labelSvg(label(3));
    expect(svg).toMatch(/^<svg [^>]*width="50mm" height="25mm" viewBox="0 0 50 25"/);
    expect(svg).toMatch(/<text [^>]*monospace[^>]*>RN-0003-ABC3<\/text>/);
    expect(svg).toContain('>Ordinateur portable</text>');
    expect(svg).toContain('>Emmaüs Connect</text>');
    expect(svg.match(/<path /g)).toHaveLength(1);
  });

  it('draws a QR that decodes to the URL', async () => {
    const l = label(4);
    const svg = await labelSvg(l);
    const d = /<path [^>]* d="([^"]+)"/.exec(svg)![1];
    const rects = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)].map((m) => [+m[1], +m[2], +m[3], 1] as [number, number, number, number]);
    const size = qrMatrix(l.url).size;
    const grid = gridFromRects(size, rects);
    expect(decodeGrid(size, (r, c) => grid[r * size + c] === 1)).toBe(l.url);
  });

  it('escapes XML and shortens what does not fit', async () => {
    const svg = await labelSvg(label(5, { organizationShortName: 'A&B <Réemploi> "solidaire" de la Métropole du Grand Paris' }));
    expect(svg).toContain('A&amp;B &lt;Réemploi&gt;');
    expect(svg).toContain('…</text>');
    expect(svg).not.toContain('Grand Paris');
  });
});

describe('SHEET_TEMPLATES', () => {
  it.each(Object.entries(SHEET_TEMPLATES))('%s: the grid fits the page and is centred', (_name, t) => {
    const gridWidth = (t.columns - 1) * t.pitchX + t.labelWidth;
    const gridHeight = (t.rows - 1) * t.pitchY + t.labelHeight;
    expect(t.marginLeft * 2 + gridWidth).toBeCloseTo(t.pageWidth, 6);
    expect(t.marginTop * 2 + gridHeight).toBeCloseTo(t.pageHeight, 6);
    expect(t.pitchX).toBeGreaterThanOrEqual(t.labelWidth);
    expect(t.pitchY).toBeGreaterThanOrEqual(t.labelHeight);
  });

  it('matches the published stock sizes', () => {
    expect(SHEET_TEMPLATES['avery-l7163']).toMatchObject({ columns: 2, rows: 7, labelWidth: 99.1, labelHeight: 38.1, pitchX: 101.6 });
    expect(SHEET_TEMPLATES['avery-l7160']).toMatchObject({ columns: 3, rows: 7, labelWidth: 63.5, labelHeight: 38.1, pitchX: 66 });
    expect(SHEET_TEMPLATES['zebra-zpl-50x25']).toMatchObject({ kind: 'zpl', labelWidth: 50, labelHeight: 25, dpi: 203 });
  });
});

describe('layoutLabel', () => {
  const sizes = [{ labelWidth: 50, labelHeight: 25 }, ...Object.values(SHEET_TEMPLATES)];
  it.each(sizes.flatMap((t) => [25, 33, 41, 49].map((modules) => [t.labelWidth, t.labelHeight, modules])))(
    '%s × %s mm, %s modules: QR with its quiet zone, code under it, info beside it, all on the label',
    (width, height, modules) => {
      const l = layoutLabel(width, height, modules);
      const module = l.qr.size / modules;
      expect(l.qr.x - l.qrBox.x).toBeCloseTo(4 * module, 9); // quiet zone
      expect(l.qrBox.y + l.qrBox.size).toBeLessThanOrEqual(l.code.baseline - l.code.em * 0.72 + 1e-9); // code under the quiet zone
      expect(l.code.baseline).toBeLessThan(height);
      expect(l.code.x + 12 * 0.6 * l.code.em).toBeLessThanOrEqual(width);
      expect(module).toBeGreaterThan(0.3);
      if (l.info) {
        expect(l.info.type.x).toBeGreaterThanOrEqual(l.qrBox.x + l.qrBox.size);
        expect(l.info.type.x + l.info.type.maxWidth).toBeLessThanOrEqual(width);
        expect(l.info.organization.baseline).toBeLessThan(l.qrBox.y + l.qrBox.size);
      }
    },
  );
});

describe('writeSheetPdf', () => {
  const A4 = { width: 595.28, height: 841.89 };

  async function render(input: Iterable<LabelContent> | AsyncIterable<LabelContent>, template: Exclude<SheetTemplate, 'zebra-zpl-50x25'>) {
    const out = sink();
    const result = await writeSheetPdf(input, template, out.stream);
    const pdf = await PDFDocument.load(out.buffer());
    return { result, pdf, bytes: out.bytes() };
  }

  it.each([
    ['avery-l7163', 15, 2, A4],
    ['avery-l7163', 14, 1, A4],
    ['avery-l7160', 22, 2, A4],
    ['avery-l7160', 21, 1, A4],
    ['brother-62x29', 3, 3, { width: mmToPt(62), height: mmToPt(29) }],
  ] as const)('%s with %i labels: %i pages of the right size', async (template, n, pages, size) => {
    const { result, pdf } = await render(labels(n), template);
    expect(result.pages).toBe(pages);
    expect(pdf.getPageCount()).toBe(pages);
    for (const page of pdf.getPages()) {
      expect(page.getWidth()).toBeCloseTo(size.width, 1);
      expect(page.getHeight()).toBeCloseTo(size.height, 1);
    }
  });

  it('takes an async iterable', async () => {
    async function* gen() {
      for (const l of labels(30)) yield l;
    }
    expect((await render(gen(), 'avery-l7160')).result.pages).toBe(2);
  });

  it('writes one blank page when there is nothing to print', async () => {
    const { result, pdf } = await render([], 'avery-l7163');
    expect(result.pages).toBe(1);
    expect(pdf.getPageCount()).toBe(1);
  });

  it('refuses the ZPL template', async () => {
    await expect(writeSheetPdf([], 'zebra-zpl-50x25' as never, sink().stream)).rejects.toThrow(RangeError);
  });

  /**
   * Reads the page's content stream back: each QR is `q  m 0 0 m tx ty cm  0 g  (x y w h re)…  f  Q`
   * in module units. Rebuilding and decoding it checks the vector QR really is the URL's, and
   * its translation checks the label sits in its cell of the template.
   */
  it('draws each QR as vector rectangles that decode to its URL, inside its label cell', async () => {
    const template = 'avery-l7160';
    const spec = SHEET_TEMPLATES[template];
    const input = labels(labelsPerPage(spec));
    const { pdf, bytes } = await render(input, template);
    const contents = pdf.getPages()[0].node.Contents();
    expect(contents).toBeInstanceOf(PDFRawStream);
    const content = inflateSync((contents as PDFRawStream).contents).toString('latin1');
    expect(content).not.toContain('/Im'); // no images
    const blocks = [...content.matchAll(/q\n([\d.]+) 0 0 [\d.]+ ([\d.]+) ([\d.]+) cm\n0 g\n([\d\s re]+)\nf\nQ/g)];
    expect(blocks).toHaveLength(input.length);

    blocks.forEach((block, i) => {
      const [, module, tx, ty, ops] = block;
      const rects = [...ops.matchAll(/(\d+) (\d+) (\d+) (\d+) re/g)].map((m) => [+m[1], +m[2], +m[3], +m[4]] as [number, number, number, number]);
      const size = qrMatrix(input[i].url).size;
      const grid = gridFromRects(size, rects);
      expect(decodeGrid(size, (r, c) => grid[r * size + c] === 1)).toBe(input[i].url);

      const cellX = mmToPt(spec.marginLeft + (i % spec.columns) * spec.pitchX);
      const cellY = mmToPt(spec.marginTop + Math.floor(i / spec.columns) * spec.pitchY);
      const layout = layoutLabel(spec.labelWidth, spec.labelHeight, size);
      expect(+tx).toBeCloseTo(cellX + mmToPt(layout.qr.x), 3);
      expect(+ty).toBeCloseTo(cellY + mmToPt(layout.qr.y), 3);
      expect(+tx + +module * size).toBeLessThan(cellX + mmToPt(spec.labelWidth));
      expect(+ty + +module * size).toBeLessThan(cellY + mmToPt(spec.labelHeight));
    });
    expect(content).toContain('<524e2d303030312d41424331>'); // "RN-0001-ABC1" shown in clear
    expect(bytes).toBeLessThan(40_000);
  });

  it('streams: bytes reach the output while labels are still being read', async () => {
    const out = sink({ slow: true });
    let bytesWhenHalfRead = -1;
    async function* gen() {
      const all = labels(300);
      for (let i = 0; i < all.length; i++) {
        if (i === 150) bytesWhenHalfRead = out.bytes();
        yield all[i];
      }
    }
    const { pages } = await writeSheetPdf(gen(), 'avery-l7163', out.stream);
    expect(pages).toBe(Math.ceil(300 / 14));
    expect(bytesWhenHalfRead).toBeGreaterThan(0);
    expect(bytesWhenHalfRead).toBeGreaterThan(out.bytes() / 4);
  });
});

describe('writeZpl', () => {
  it('writes one ^XA…^XZ format per label, each with its URL in a Q-level QR and its code in clear', async () => {
    const input = labels(5);
    const out = sink();
    const result = await writeZpl(input, out.stream);
    expect(result.labels).toBe(5);
    const zpl = out.buffer().toString('utf8');
    const blocks = zpl.match(/\^XA[\s\S]*?\^XZ/g)!;
    expect(blocks).toHaveLength(5);
    expect(zpl.replace(/\^XA[\s\S]*?\^XZ/g, '').trim()).toBe('');
    blocks.forEach((block, i) => {
      expect(block).toContain(`^FDQA,${input[i].url}^FS`);
      expect(block).toContain(`^FD${input[i].code}^FS`);
      expect(block).toMatch(/\^BQN,2,\d+,Q,7/);
      expect(block).toContain('^PW400');
      expect(block).toContain('^LL200');
      expect(block).toContain('^CI28');
    });
  });

  it('sizes the QR in whole dots and keeps it on the label', async () => {
    const out = sink();
    await writeZpl([label(1)], out.stream);
    const zpl = out.buffer().toString('utf8');
    const [, x, y, mag] = /\^FO(\d+),(\d+)\^BQN,2,(\d+)/.exec(zpl)!.map(Number);
    const symbol = mag * qrModuleCount(label(1).url);
    expect(mag).toBeGreaterThanOrEqual(3); // ≥ 0.375 mm modules at 8 dots/mm
    expect(x + symbol).toBeLessThanOrEqual(400);
    expect(y + symbol).toBeLessThanOrEqual(200);
  });

  it('escapes ZPL control characters in field data', async () => {
    const out = sink();
    await writeZpl([label(1, { organizationShortName: 'A^B~C_D' })], out.stream);
    expect(out.buffer().toString('utf8')).toContain('^FH_^FDA_5EB_7EC_5FD^FS');
  });
});
