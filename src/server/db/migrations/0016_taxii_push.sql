CREATE TABLE "taxii_feed_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"feed_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"objects" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"withheld" integer DEFAULT 0 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"message" text,
	"failures" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "taxii_feeds" ADD COLUMN "direction" text DEFAULT 'pull' NOT NULL;--> statement-breakpoint
ALTER TABLE "taxii_feeds" ADD COLUMN "max_tlp" text;--> statement-breakpoint
ALTER TABLE "taxii_feeds" ADD COLUMN "push_cursor" jsonb;--> statement-breakpoint
ALTER TABLE "taxii_feed_runs" ADD CONSTRAINT "taxii_feed_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxii_feed_runs" ADD CONSTRAINT "taxii_feed_runs_feed_id_taxii_feeds_id_fk" FOREIGN KEY ("feed_id") REFERENCES "public"."taxii_feeds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "taxii_feed_runs_feed_idx" ON "taxii_feed_runs" USING btree ("org_id","feed_id","started_at");