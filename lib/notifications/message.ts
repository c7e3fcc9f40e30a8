import { isAlertKind, KIND_INFO } from "@/lib/alerts/kinds";

/**
 * A digest in words: the email's subject and text, and the webhook's JSON (with a Slack-compatible
 * `text`, so a Slack incoming-webhook URL works as the workspace webhook as it is). Links are absolute,
 * built on LEDGER_BASE_URL.
 */

export interface DigestForMessage {
  id: string;
  kind: string;
  count: number;
  items: { summary: string; link?: string | null }[];
  link: string;
  test: boolean;
  createdAt: Date;
}

export function kindTitle(kind: string): string {
  return isAlertKind(kind) ? KIND_INFO[kind].title : "Test alert";
}

function absolute(base: string, path: string): string {
  return /^https?:\/\//.test(path) ? path : `${base}${path.startsWith("/") ? "" : "/"}${path}`;
}

export function digestSubject(d: DigestForMessage, workspace: string): string {
  if (d.test) return `[Ledger] Test alert for ${workspace}`;
  return `[Ledger] ${kindTitle(d.kind)}: ${d.count} in ${workspace}`;
}

export function digestText(d: DigestForMessage, workspace: string, base: string): string {
  const lines = [
    d.test
      ? `This is a test alert from Ledger for ${workspace}. Alerts reach you here.`
      : `${kindTitle(d.kind)} in ${workspace}: ${d.count}.`,
    "",
  ];
  for (const item of d.items) lines.push(`- ${item.summary}${item.link ? ` (${absolute(base, item.link)})` : ""}`);
  if (d.count > d.items.length) lines.push(`…and ${d.count - d.items.length} more.`);
  lines.push("", `See them all: ${absolute(base, d.link)}`, "", "Choose which alerts you receive in Ledger under Alerts.");
  return lines.join("\n");
}

/** Slack's mrkdwn escapes only these three. */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function webhookPayload(d: DigestForMessage, workspace: { id: string; name: string }, base: string) {
  const head = d.test
    ? `*Test alert* from Ledger for ${slackEscape(workspace.name)}`
    : `*${slackEscape(kindTitle(d.kind))}*: ${d.count} in ${slackEscape(workspace.name)}`;
  const bullets = d.items.map((i) => `• ${i.link ? `<${absolute(base, i.link)}|${slackEscape(i.summary)}>` : slackEscape(i.summary)}`);
  const more = d.count > d.items.length ? [`…and ${d.count - d.items.length} more`] : [];
  return {
    type: "ledger.alert",
    id: d.id,
    kind: d.test ? "test" : d.kind,
    title: kindTitle(d.kind),
    workspace,
    count: d.count,
    items: d.items.map((i) => ({ summary: i.summary, url: i.link ? absolute(base, i.link) : null })),
    url: absolute(base, d.link),
    created_at: d.createdAt.toISOString(),
    text: [head, ...bullets, ...more, `<${absolute(base, d.link)}|Open in Ledger>`].join("\n"),
  };
}
