/**
 * Whether text is a canonical decimal amount: an optional minus, no leading zeros, at most `integerDigits`
 * digits before the point and two after, nothing around it ("19.99", "0.5", "-3"; not " 1.00", "007", "-0").
 */
export function isCanonicalDecimal(text: string, integerDigits = 10): boolean {
  const match = /^(-?)(0|[1-9]\d*)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match || match[2]!.length > integerDigits) return false;
  return !(match[1] && /^0*$/.test(`${match[2]}${match[3] ?? ""}`));
}
