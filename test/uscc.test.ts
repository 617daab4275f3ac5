import { describe, expect, it } from 'vitest';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';
import { checkUscc, USCC_CHARSET, usccCheckChar } from '../server/src/modules/registry/uscc.js';

// Published codes of well-known firms (from their business licences).
const REAL_CODES = ['91110108551385082Q', '91350100M000100Y43'];

describe('USCC check digit (GB 32100-2015)', () => {
  it('accepts published codes and synthetic ones', () => {
    for (const code of REAL_CODES) expect(checkUscc(code)).toEqual({ ok: true, value: code });
    for (let i = 0; i < 500; i++) expect(checkUscc(syntheticUscc(i, '140525')).ok).toBe(true);
  });

  it('computes the check character with weights 3^(i-1) mod 31', () => {
    const first17 = '91110108551385082';
    let sum = 0;
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * weights[i];
    expect(usccCheckChar(first17)).toBe(USCC_CHARSET[(31 - (sum % 31)) % 31]);
    expect(usccCheckChar(first17)).toBe('Q');
  });

  it('detects every single-character substitution', () => {
    const code = REAL_CODES[0];
    for (let pos = 0; pos < 18; pos++) {
      for (const c of USCC_CHARSET) {
        if (c === code[pos]) continue;
        const corrupted = code.slice(0, pos) + c + code.slice(pos + 1);
        const result = checkUscc(corrupted);
        expect(result.ok, corrupted).toBe(false);
        if (!result.ok) expect(result.reason).toContain('校验位错误');
      }
    }
  });

  it('detects adjacent transpositions', () => {
    const code = REAL_CODES[0];
    for (let pos = 0; pos < 17; pos++) {
      if (code[pos] === code[pos + 1]) continue;
      const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
      expect(checkUscc(swapped).ok, swapped).toBe(false);
    }
  });

  it('names characters outside the set (I, O, Z, S, V, symbols)', () => {
    for (const bad of ['I', 'O', 'Z', 'S', 'V', '-']) {
      const result = checkUscc(`91110108551385082${bad}`);
      expect(result).toEqual({ ok: false, reason: expect.stringContaining(`第18位“${bad}”不是有效字符`) });
    }
  });

  it('accepts lowercase and full-width input, normalised', () => {
    expect(checkUscc(' 91110108551385082q ')).toEqual({ ok: true, value: '91110108551385082Q' });
    expect(checkUscc('９１110108551385082Ｑ')).toEqual({ ok: true, value: '91110108551385082Q' });
  });

  it('reports the wrong length', () => {
    expect(checkUscc('9111010855138508')).toEqual({ ok: false, reason: '长度应为18位，实际为16位' });
    expect(checkUscc('91110108551385082QQ')).toEqual({ ok: false, reason: '长度应为18位，实际为19位' });
    expect(checkUscc('')).toEqual({ ok: false, reason: '长度应为18位，实际为0位' });
  });

  it('gives unique codes to synthetic firms', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(syntheticUscc(i, '140502'));
    expect(seen.size).toBe(20_000);
  });
});
