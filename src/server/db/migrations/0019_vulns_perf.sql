DROP INDEX "findings_org_status_idx";--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "trace" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "ssvc_inputs" SET DATA TYPE text;