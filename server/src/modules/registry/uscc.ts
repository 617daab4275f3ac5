/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (no I, O, Z, S, V);
 * the 18th is a check character over the first 17 with weights 3^(i-1) mod 31.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n));

export type UsccCheck = { ok: true; value: string } | { ok: false; reason: string };

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** Trims, upper-cases and turns full-width characters into half-width, as people paste them. */
export function normalizeUscc(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** Validates a code; the reason (Chinese) says exactly what is wrong. */
export function checkUscc(raw: string): UsccCheck {
  const value = normalizeUscc(raw);
  if (value.length !== 18) return { ok: false, reason: `长度应为18位，实际为${value.length}位` };
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(value[i])) {
      return { ok: false, reason: `第${i + 1}位“${value[i]}”不是有效字符（不使用 I、O、Z、S、V 及其他符号）` };
    }
  }
  const expected = usccCheckChar(value);
  if (value[17] !== expected) {
    return { ok: false, reason: `校验位错误：第18位应为“${expected}”，实际为“${value[17]}”` };
  }
  return { ok: true, value };
}

/** GB 11714 check character of the 9-character organisation code inside a USCC (positions 9–17). */
export function orgCodeCheckChar(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * weights[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
