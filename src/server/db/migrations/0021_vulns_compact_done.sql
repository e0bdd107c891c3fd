ALTER TABLE "findings" ALTER COLUMN "ssvc_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" DROP COLUMN "ssvc_inputs";