import { inngest } from "@/lib/jobs/client";
import { ALERT_DELIVERY_EVENT, alertDeliveryRequested, parseEventData } from "@/lib/jobs/events";
import { deliverAlert, markDeliveryFailed } from "@/lib/notifications/deliver";

/**
 * Send one alert (an email or the workspace webhook) with durable retries: a mail server or webhook
 * that is down is tried again with Inngest's backoff for hours, and only then marked failed in the
 * alert log. One send per delivery at a time, so a duplicate event never mails twice.
 */
export default inngest.createFunction(
  {
    id: "alert-deliver",
    name: "Deliver an alert",
    triggers: [{ event: ALERT_DELIVERY_EVENT }],
    retries: 8,
    concurrency: [{ key: "event.data.deliveryId", limit: 1 }],
    onFailure: async ({ event, error }) => {
      const { deliveryId } = parseEventData(alertDeliveryRequested, { name: ALERT_DELIVERY_EVENT, data: event.data.event.data });
      await markDeliveryFailed(deliveryId, error.message);
    },
  },
  async ({ event, step }) => {
    const { deliveryId } = parseEventData(alertDeliveryRequested, event);
    return step.run("send", () => deliverAlert(deliveryId));
  },
);
