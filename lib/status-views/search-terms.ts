/**
 * How a typed search is read (issue 17), pure and browser-safe: the text as typed, the document
 * numbers it may stand for (`MAG-000000028` → `000000028`), and an entity id only when it is a plain
 * positive integer — a leading zero means a document number, never entity 28.
 */

const MAX_ENTITY_ID = 2_147_483_647;

/** The forms of a typed text worth looking up, pure so the rules are unit-tested. */
export function searchTerms(raw: string): { text: string; documentNumbers: string[]; entityId: number | null } {
  const text = raw.trim();
  // "MAG-000000028" → "000000028": Sage's invoice reference is a prefix plus Magento's increment id.
  const stripped = text.replace(/^[A-Za-z]{1,10}[-_ ]?(?=\d)/, "");
  const documentNumbers = [...new Set([text, stripped].filter(Boolean))];
  // A leading zero means a document number; only a plain positive integer can be an entity id.
  const entityId = /^[1-9]\d{0,9}$/.test(text) && Number(text) <= MAX_ENTITY_ID ? Number(text) : null;
  return { text, documentNumbers, entityId };
}
