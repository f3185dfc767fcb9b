import { csvCell, toCsv } from './csv';

describe('donor report CSV', () => {
  it('starts with a BOM, separates with ; and ends lines with CRLF', () => {
    const csv = toCsv(['Numéro', 'Modèle'], [['VLO-1', 'OptiPlex 7060'], ['VLO-2', null]]);
    expect(csv).toBe('\uFEFFNuméro;Modèle\r\nVLO-1;OptiPlex 7060\r\nVLO-2;\r\n');
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('iMac 21,5" (2017)')).toBe('"iMac 21,5"" (2017)"');
    expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvCell(' espace')).toBe('" espace"');
    expect(csvCell(42)).toBe('42');
  });

  it('neutralises formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('RN-4F7K-2QXJ')).toBe('RN-4F7K-2QXJ');
  });
});
