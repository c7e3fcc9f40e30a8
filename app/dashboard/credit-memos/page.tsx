import type { Metadata } from "next";
import { DocumentsView } from "../invoices/documents-view";

export const metadata: Metadata = { title: "Credit memos" };

export default async function CreditMemosPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <DocumentsView kind="creditmemo" searchParams={await searchParams} />;
}
