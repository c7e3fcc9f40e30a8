"use client";

import { useEffect, useState } from "react";
import { utcText } from "@/lib/history/format";

/** "3 min ago"-style text for a past (or future) instant. */
export function relativeText(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const past = diff <= 0;
  const say = (n: number, unit: string) => (past ? `${n} ${unit} ago` : `in ${n} ${unit}`);
  if (abs < 45_000) return past ? "just now" : "in a moment";
  if (abs < 3_600_000) return say(Math.round(abs / 60_000), "min");
  if (abs < 86_400_000) return say(Math.round(abs / 3_600_000), "h");
  if (abs < 30 * 86_400_000) return say(Math.round(abs / 86_400_000), Math.round(abs / 86_400_000) === 1 ? "day" : "days");
  return new Date(iso).toISOString().slice(0, 10);
}

/**
 * Relative time with the absolute UTC time on hover (and for screen readers via dateTime), kept
 * current: every 15 s while under an hour old, every minute after that.
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const young = Math.abs(Date.now() - new Date(iso).getTime()) < 3_600_000;
    const t = setInterval(() => setNow(Date.now()), young ? 15_000 : 60_000);
    return () => clearInterval(t);
  }, [iso]);
  return (
    // The server renders with its own clock; the client's first tick corrects any drift.
    <time dateTime={iso} title={utcText(iso)} className={className} suppressHydrationWarning>
      {relativeText(iso, now)}
    </time>
  );
}
