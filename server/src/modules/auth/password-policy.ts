import crypto from 'node:crypto';

/** The character classes a password draws from; a password needs three of the four (等保 2.0 level 3 practice). */
const CLASSES: [RegExp, string][] = [
  [/[a-z]/, '小写字母'],
  [/[A-Z]/, '大写字母'],
  [/[0-9]/, '数字'],
  [/[^a-zA-Z0-9]/, '符号'],
];

/** Why a password may not be used, or null: length, three of four classes, not the user name. */
export function passwordRefusal(password: string, username: string, minLength: number): string | null {
  if (password.length < minLength) return `至少 ${minLength} 个字符`;
  if (password.length > 128) return '不能超过 128 个字符';
  const used = CLASSES.filter(([re]) => re.test(password)).length;
  if (used < 3) return `须包含${CLASSES.map(([, name]) => name).join('、')}中的至少三类`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '不能包含用户名';
  return null;
}

/** A one-time password that meets the policy: 14 characters with every class, from an unambiguous alphabet. */
export function oneTimePassword(): string {
  const sets = ['abcdefghjkmnpqrstuvwxyz', 'ABCDEFGHJKMNPQRSTUVWXYZ', '23456789', '!@#%*-+='];
  const all = sets.join('');
  const chars = sets.map((set) => set[crypto.randomInt(set.length)]);
  while (chars.length < 14) chars.push(all[crypto.randomInt(all.length)]);
  // Fisher–Yates, so the classes are not in a fixed order.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
