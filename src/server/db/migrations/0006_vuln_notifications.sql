CREATE TABLE "vuln_notifications" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"recipients" text[] DEFAULT '{}' NOT NULL,
	"webhooks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "kev_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vuln_notifications" ADD CONSTRAINT "vuln_notifications_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;