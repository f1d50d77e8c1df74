// older-than as dataaxiom/ghcr-cleanup-action writes it: "30 days", "12 hours", "1 year",
// singular or plural, seconds to years. A month is 30 days and a year 365: an age limit
// needs no calendar. Pure: test/unit/cleanup-plan.test.ts.
import { DomainError } from '../errors.js';
const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

export function parseInterval(text: string): number {
  const match = /^(\d+)\s*([a-z]+?)s?$/i.exec(text.trim());
  const unit = match ? UNIT_MS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new DomainError(`"${text}" is not an interval; write a number and a unit, e.g. 30 days or 12 hours (units: ${Object.keys(UNIT_MS).join(', ')})`);
  }
  return Number(match[1]) * unit;
}
