CREATE TABLE "intel_received" (
	"org_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"version" text NOT NULL,
	"feed_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intel_received_org_id_stix_id_version_pk" PRIMARY KEY("org_id","stix_id","version")
);
--> statement-breakpoint
ALTER TABLE "intel_received" ADD CONSTRAINT "intel_received_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_received" ADD CONSTRAINT "intel_received_feed_id_taxii_feeds_id_fk" FOREIGN KEY ("feed_id") REFERENCES "public"."taxii_feeds"("id") ON DELETE set null ON UPDATE no action;