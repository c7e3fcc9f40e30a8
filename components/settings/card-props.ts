import type { ComboOption } from "./combobox";
import type { Draft } from "./draft";

/** What every settings card receives from the editor. */
export interface CardProps {
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  /** The inline error message for a field key (see lib/policy/field-errors.ts), if any. */
  err: (key: string) => string | undefined;
  disabled: boolean;
  options: { taxRates: ComboOption[]; sales: ComboOption[]; expenses: ComboOption[]; banks: ComboOption[] };
  plan: { label: string; products: boolean; stock: boolean; productsFrom: string; stockFrom: string };
  /** Whether the payment method rows came from Magento live (else codes are typed by hand). */
  methodsLive: boolean;
}
