import alertDeliver from "./functions/alert-deliver";
import alertsDigest from "./functions/alerts-digest";
import bulkRetry from "./functions/bulk-retry";
import creditmemoCreated from "./functions/creditmemo-created";
import customerUpserted from "./functions/customer-upserted";
import invoiceCreated from "./functions/invoice-created";
import invoicePaid from "./functions/invoice-paid";
import magentoPing from "./functions/magento-ping";
import productUpserted from "./functions/product-upserted";
import reconciliationRun from "./functions/reconciliation-run";
import reconciliationSchedule from "./functions/reconciliation-schedule";
import referenceDataRefresh from "./functions/reference-data-refresh";
import runsSweep from "./functions/runs-sweep";
import sageTokenRefresh from "./functions/sage-token-refresh";
import syncStatePush from "./functions/sync-state-push";

/**
 * Every function the app serves at /api/inngest. This folder holds only the functions, one per file;
 * the client, the event names and their payload schemas live in lib/jobs.
 */
export const functions = [
  invoiceCreated,
  invoicePaid,
  creditmemoCreated,
  customerUpserted,
  productUpserted,
  syncStatePush,
  runsSweep,
  sageTokenRefresh,
  referenceDataRefresh,
  bulkRetry,
  magentoPing,
  alertsDigest,
  alertDeliver,
  reconciliationRun,
  reconciliationSchedule,
];
