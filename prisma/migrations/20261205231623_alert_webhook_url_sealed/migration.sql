-- The alert webhook's URL moves into the vault (webhook URLs often carry their own token, as Slack's
-- do). SQL cannot encrypt with the app's key, so webhooks saved in the clear before this change are
-- removed: an owner sets the URL again on the Alerts page (it was new the same day; nothing was live).
DELETE FROM "alert_webhooks";

-- AlterTable
ALTER TABLE "alert_webhooks" DROP COLUMN "url",
ADD COLUMN     "encrypted_url" TEXT NOT NULL,
ADD COLUMN     "host" TEXT NOT NULL;
