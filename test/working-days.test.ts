import { describe, expect, it } from 'vitest';
import { addWorkingDays, hasHolidayData, isWorkingDay } from '../server/src/modules/publication/working-days.js';

describe('working days on the Chinese calendar', () => {
  it('knows 调休 make-up days and public holidays', () => {
    // 2024 Spring Festival: the Sundays 2024-02-04 and 2024-02-18 were working days.
    expect(isWorkingDay('2024-02-04')).toBe(true);
    expect(isWorkingDay('2024-02-18')).toBe(true);
    expect(isWorkingDay('2024-02-12')).toBe(false);
    // 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked.
    for (const day of ['2026-02-15', '2026-02-17', '2026-02-20', '2026-02-23']) expect(isWorkingDay(day), day).toBe(false);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-03-01')).toBe(false);
  });

  it('counts 20 working days across the 2026 Spring Festival', () => {
    // From Tuesday 10 February: 11–13, 14 (make-up), 24–27, 28 (make-up), 2–6 and 9–13 March, 16 March.
    expect(addWorkingDays('2026-02-10', 20)).toEqual({ due: '2026-03-16', provisional: false });
    // An ordinary stretch: four weeks of weekdays.
    expect(addWorkingDays('2026-05-11', 20)).toEqual({ due: '2026-06-08', provisional: false });
  });

  it('falls back to weekdays, marked provisional, for a year without holiday data yet', () => {
    expect(hasHolidayData(2026)).toBe(true);
    expect(hasHolidayData(2031)).toBe(false);
    // 2031-10-01 is a Wednesday: a weekday in the fallback, though surely a holiday when announced.
    expect(isWorkingDay('2031-10-01')).toBe(true);
    expect(addWorkingDays('2031-09-29', 3)).toEqual({ due: '2031-10-02', provisional: true });
    // A deadline that crosses into such a year is provisional too.
    expect(addWorkingDays('2026-12-21', 20).provisional).toBe(!hasHolidayData(2027));
  });
});
